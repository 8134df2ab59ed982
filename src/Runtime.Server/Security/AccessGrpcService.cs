using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Runtime.Contracts.V1;
using Runtime.Core.Errors;
using Runtime.Server.Mapping;
using Runtime.Server.Security.ApiKeys;
using Scope = Runtime.Contracts.V1.Scope;

namespace Runtime.Server.Security;

/// <summary>runtime.v1.AccessService: API key administration and WhoAmI. Maps proto ⇄ <see cref="ApiKeyStore"/>.</summary>
public sealed class AccessGrpcService(ApiKeyStore store, IOptions<SecurityOptions> options) : AccessService.AccessServiceBase
{
    /// <inheritdoc />
    public override Task<CreateApiKeyResponse> CreateApiKey(CreateApiKeyRequest request, ServerCallContext context)
    {
        var validator = new Validator();
        validator.Require(request.Scopes.All(s => s != Scope.Unspecified && System.Enum.IsDefined(s)), "scopes",
            "each scope must be SCOPE_INGEST, SCOPE_OBSERVE or SCOPE_ADMIN");
        validator.ThrowIfInvalid();
        var created = store.Create(request.Name, request.Scopes.Select(ToAccess).ToHashSet(), request.ExpireTime.ToDomain("expire_time"));
        return Task.FromResult(new CreateApiKeyResponse { ApiKey = ToProto(created.Key), Secret = created.Secret });
    }

    /// <inheritdoc />
    public override Task<ListApiKeysResponse> ListApiKeys(ListApiKeysRequest request, ServerCallContext context)
    {
        var page = store.List(request.PageSize, request.PageToken, request.ShowRevoked);
        var response = new ListApiKeysResponse { NextPageToken = page.NextPageToken };
        response.ApiKeys.AddRange(page.Keys.Select(ToProto));
        return Task.FromResult(response);
    }

    /// <inheritdoc />
    public override Task<RevokeApiKeyResponse> RevokeApiKey(RevokeApiKeyRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.KeyId))
        {
            throw Fail.InvalidField("key_id", "must not be empty");
        }

        return Task.FromResult(new RevokeApiKeyResponse { ApiKey = ToProto(store.Revoke(request.KeyId)) });
    }

    /// <inheritdoc />
    public override Task<WhoAmIResponse> WhoAmI(WhoAmIRequest request, ServerCallContext context)
    {
        var response = new WhoAmIResponse { AuthenticationEnabled = options.Value.AuthenticationEnabled };
        if (CallerIdentity.From(context.GetHttpContext().User) is { } caller)
        {
            response.Principal = caller.Principal;
            response.CredentialKind = caller.Type == CredentialType.ApiKey ? CredentialKind.ApiKey : CredentialKind.Jwt;
            response.Scopes.AddRange(caller.Scopes.Order().Select(ToProto));
            response.DisplayName = caller.DisplayName ?? "";
            response.ExpireTime = caller.ExpiresAt is { } expires ? Timestamp.FromDateTimeOffset(expires) : null;
        }
        else
        {
            // Only reachable without a credential when authentication is off: then every call is allowed.
            response.Principal = "anonymous";
            response.CredentialKind = CredentialKind.None;
            response.Scopes.AddRange([Scope.Ingest, Scope.Observe, Scope.Admin]);
        }

        return Task.FromResult(response);
    }

    private static ApiKey ToProto(ApiKeyRecord key)
    {
        var proto = new ApiKey
        {
            KeyId = key.KeyId,
            Name = key.Name,
            CreateTime = Timestamp.FromDateTimeOffset(key.CreatedAt),
            ExpireTime = key.ExpiresAt is { } expires ? Timestamp.FromDateTimeOffset(expires) : null,
            RevokeTime = key.RevokedAt is { } revoked ? Timestamp.FromDateTimeOffset(revoked) : null,
        };
        proto.Scopes.AddRange(key.Scopes.Order().Select(ToProto));
        return proto;
    }

    private static Scope ToProto(Access scope) => scope switch
    {
        Access.Ingest => Scope.Ingest,
        Access.Observe => Scope.Observe,
        Access.Admin => Scope.Admin,
        _ => Scope.Unspecified,
    };

    private static Access ToAccess(Scope scope) => scope switch
    {
        Scope.Ingest => Access.Ingest,
        Scope.Observe => Access.Observe,
        _ => Access.Admin,
    };
}
