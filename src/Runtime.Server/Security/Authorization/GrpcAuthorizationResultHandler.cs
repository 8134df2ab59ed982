using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Runtime.Server.Security.Authentication;

namespace Runtime.Server.Security.Authorization;

/// <summary>
/// Turns a refused authorization into a gRPC answer instead of HTTP 401/403: UNAUTHENTICATED with the reason the
/// credential failed, or PERMISSION_DENIED (<c>INSUFFICIENT_SCOPE</c>, metadata <c>required_scope</c>).
/// </summary>
public sealed class GrpcAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    /// <inheritdoc />
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await next(context);
            return;
        }

        var endpoint = context.GetEndpoint();
        var method = endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.FullName.TrimStart('/') ?? context.Request.Path.ToString().TrimStart('/');
        if (CallerIdentity.From(context.User) is { } caller)
        {
            var required = ScopeNames.Of(MethodAccessRequirement.For(endpoint));
            await GrpcStatusResponse.WriteAsync(context, StatusCode.PermissionDenied, CredentialReasons.InsufficientScope,
                $"{caller.Principal} lacks scope '{required}' needed by {method}",
                new Dictionary<string, string> { ["required_scope"] = required, ["method"] = method, ["principal"] = caller.Principal });
            return;
        }

        // The authentication result is cached per request: this reads why it failed, it does not authenticate again.
        var failure = RuntimeAuthentication.Explain(await context.AuthenticateAsync());
        var metadata = new Dictionary<string, string>(failure.Metadata) { ["method"] = method };
        await GrpcStatusResponse.WriteAsync(context, StatusCode.Unauthenticated, failure.Reason, failure.Message, metadata);
    }
}
