using System.Globalization;
using System.Security.Claims;

namespace Runtime.Server.Security;

/// <summary>How a caller proved who it is.</summary>
public enum CredentialType
{
    /// <summary>No credential (authentication is off).</summary>
    None,

    /// <summary>An API key issued by this server.</summary>
    ApiKey,

    /// <summary>A JWT bearer token.</summary>
    Jwt,
}

/// <summary>An authenticated caller, read back from the claims the authentication handlers produce.</summary>
/// <param name="Principal"><c>apikey:&lt;key id&gt;</c> or the token's subject.</param>
/// <param name="Type">How it authenticated.</param>
/// <param name="Scopes">What its credential grants.</param>
/// <param name="DisplayName">The key's name or the token's <c>name</c> claim.</param>
/// <param name="ExpiresAt">When the credential stops working, if ever.</param>
public sealed record CallerIdentity(
    string Principal, CredentialType Type, IReadOnlySet<Access> Scopes, string? DisplayName, DateTimeOffset? ExpiresAt)
{
    /// <summary>Claim types the handlers emit (JWT names, so both kinds of credential read the same way).</summary>
    public static class Claims
    {
        /// <summary>Who the caller is.</summary>
        public const string Subject = "sub";

        /// <summary>Space-separated scopes (OAuth 2.0 <c>scope</c>).</summary>
        public const string Scope = "scope";

        /// <summary>Scopes as Azure AD and others send them (space-separated or one claim per scope).</summary>
        public const string Scp = "scp";

        /// <summary>A human-readable name.</summary>
        public const string Name = "name";

        /// <summary>Expiry in seconds since the Unix epoch.</summary>
        public const string Expires = "exp";
    }

    /// <summary>Authentication type of identities made from API keys.</summary>
    public const string ApiKeyAuthenticationType = "ApiKey";

    /// <summary>The caller behind a request, or null when it presented no valid credential.</summary>
    public static CallerIdentity? From(ClaimsPrincipal? user)
    {
        if (user?.Identity is not { IsAuthenticated: true } identity)
        {
            return null;
        }

        var scopes = user.FindAll(c => c.Type is Claims.Scope or Claims.Scp)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(ScopeNames.All.ContainsKey)
            .Select(name => ScopeNames.All[name])
            .ToHashSet();
        var expires = long.TryParse(user.FindFirst(Claims.Expires)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        var type = identity.AuthenticationType == ApiKeyAuthenticationType ? CredentialType.ApiKey : CredentialType.Jwt;
        var subject = user.FindFirst(Claims.Subject)?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "unknown";
        return new CallerIdentity(subject, type, scopes, user.FindFirst(Claims.Name)?.Value, expires);
    }

    /// <summary>
    /// The key per-caller limits are counted under: the authenticated principal, else the remote address
    /// (authentication off), so one noisy client cannot exhaust another's share.
    /// </summary>
    public static string LimitKey(HttpContext context) =>
        From(context.User)?.Principal
        ?? (context.Connection.RemoteIpAddress is { } address ? $"ip:{address}" : "anonymous");
}
