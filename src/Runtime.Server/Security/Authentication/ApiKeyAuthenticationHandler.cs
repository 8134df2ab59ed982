using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Runtime.Server.Security.ApiKeys;

namespace Runtime.Server.Security.Authentication;

/// <summary>
/// Authenticates <c>authorization: Bearer rk_...</c> against the key store. Also the handler of any bearer value
/// that is neither an API key nor a JWT the server accepts, so that it is refused as malformed.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore store,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiKey";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(Authenticate(BearerToken.Read(Request)));

    private AuthenticateResult Authenticate(BearerToken token)
    {
        if (token.IsMissing)
        {
            return AuthenticateResult.NoResult();
        }

        if (token.Value is not { } value)
        {
            return Reject(CredentialReasons.Invalid, "the authorization header must be 'Bearer <API key or token>'");
        }

        if (ApiKeySecret.TryGetKeyId(value) is not { } keyId)
        {
            return Reject(CredentialReasons.Invalid, "the bearer credential is neither an API key nor an accepted JWT");
        }

        var key = store.Find(keyId);
        if (key is null || !store.Verify(value, key))
        {
            return Reject(CredentialReasons.Invalid, $"API key '{keyId}' is not valid", ("key_id", keyId));
        }

        if (key.RevokedAt is { } revoked)
        {
            return Reject(CredentialReasons.Revoked, $"API key '{keyId}' was revoked at {revoked:O}",
                ("key_id", keyId), ("revoke_time", revoked.ToString("O", CultureInfo.InvariantCulture)));
        }

        if (key.IsExpired(time.GetUtcNow()))
        {
            return Reject(CredentialReasons.Expired, $"API key '{keyId}' expired at {key.ExpiresAt:O}",
                ("key_id", keyId), ("expire_time", key.ExpiresAt!.Value.ToString("O", CultureInfo.InvariantCulture)));
        }

        var claims = new List<Claim>
        {
            new(CallerIdentity.Claims.Subject, $"apikey:{key.KeyId}"),
            new(CallerIdentity.Claims.Name, key.Name),
            new(CallerIdentity.Claims.Scope, string.Join(' ', key.Scopes.Order().Select(ScopeNames.Of))),
        };
        if (key.ExpiresAt is { } expires)
        {
            claims.Add(new Claim(CallerIdentity.Claims.Expires,
                expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        }

        var identity = new ClaimsIdentity(claims, CallerIdentity.ApiKeyAuthenticationType,
            CallerIdentity.Claims.Subject, roleType: null);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    private static AuthenticateResult Reject(string reason, string message, params (string Key, string Value)[] metadata) =>
        AuthenticateResult.Fail(new CredentialsRejectedException(reason, message, metadata.ToDictionary(m => m.Key, m => m.Value)));
}
