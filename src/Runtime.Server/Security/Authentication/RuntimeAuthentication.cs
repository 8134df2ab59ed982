using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Runtime.Server.Security.Authentication;

/// <summary>
/// The authentication schemes: one default scheme that forwards each request to the API key handler or, for a
/// JWT when JWTs are configured, to the standard JWT bearer handler.
/// </summary>
public static class RuntimeAuthentication
{
    /// <summary>The default scheme (a selector, not a handler of its own).</summary>
    public const string SchemeName = "Runtime";

    /// <summary>Registers the schemes; JWT validation is configured from <see cref="SecurityOptions.Jwt"/> when used.</summary>
    public static void Add(IServiceCollection services)
    {
        services.AddAuthentication(SchemeName)
            .AddPolicyScheme(SchemeName, "API key or JWT bearer", o => o.ForwardDefaultSelector = context =>
                context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.Jwt.IsConfigured
                && BearerToken.Read(context.Request).LooksLikeJwt
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, _ => { })
            .AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<SecurityOptions>>((o, security) => Configure(o, security.Value.Jwt));
    }

    /// <summary>Why authentication failed, as an UNAUTHENTICATED reason, message and metadata.</summary>
    public static CredentialsRejectedException Explain(AuthenticateResult? result) => result?.Failure switch
    {
        null => new CredentialsRejectedException(CredentialReasons.Missing,
            "this call needs a credential: send 'authorization: Bearer <API key or token>'"),
        CredentialsRejectedException rejected => rejected,
        SecurityTokenExpiredException expired => new CredentialsRejectedException(CredentialReasons.Expired,
            $"the token expired at {expired.Expires:O}",
            new Dictionary<string, string> { ["expire_time"] = expired.Expires.ToString("O", CultureInfo.InvariantCulture) }),
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            new CredentialsRejectedException(CredentialReasons.Invalid, "the token's signature does not verify"),
        SecurityTokenInvalidIssuerException => new CredentialsRejectedException(CredentialReasons.Invalid, "the token's issuer is not accepted"),
        SecurityTokenInvalidAudienceException => new CredentialsRejectedException(CredentialReasons.Invalid, "the token's audience is not accepted"),
        _ => new CredentialsRejectedException(CredentialReasons.Invalid, "the bearer token is not valid"),
    };

    private static void Configure(JwtBearerOptions o, JwtOptions jwt)
    {
        // Keep claim names as issued (`scope`, `scp`, `sub`) rather than mapping them to long URIs.
        o.MapInboundClaims = false;
        if (!string.IsNullOrWhiteSpace(jwt.Authority))
        {
            o.Authority = jwt.Authority;
        }

        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = !string.IsNullOrWhiteSpace(jwt.Issuer) || !string.IsNullOrWhiteSpace(jwt.Authority),
            ValidIssuer = string.IsNullOrWhiteSpace(jwt.Issuer) ? null : jwt.Issuer,
            ValidateAudience = !string.IsNullOrWhiteSpace(jwt.Audience),
            ValidAudience = string.IsNullOrWhiteSpace(jwt.Audience) ? null : jwt.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = false,
            ClockSkew = jwt.ClockSkew,
            NameClaimType = CallerIdentity.Claims.Subject,
            IssuerSigningKey = string.IsNullOrWhiteSpace(jwt.SigningKey) ? null : new SymmetricSecurityKey(KeyBytes(jwt.SigningKey)),
        };
    }

    /// <summary>The bytes of a configured signing key: <c>base64:...</c> or UTF-8 text.</summary>
    public static byte[] KeyBytes(string signingKey) =>
        signingKey.StartsWith("base64:", StringComparison.Ordinal)
            ? Convert.FromBase64String(signingKey["base64:".Length..])
            : Encoding.UTF8.GetBytes(signingKey);
}
