using System.ComponentModel.DataAnnotations;

namespace Runtime.Server.Security;

/// <summary>
/// Authentication, exposure and per-caller limits, bound from <c>Runtime:Security</c>
/// (environment <c>Runtime__Security__...</c>). See docs/security.md.
/// </summary>
public sealed class SecurityOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Runtime:Security";

    /// <summary>
    /// Require a credential (API key or JWT) on every call except health. Off by default so a loopback server works
    /// out of the box; configuring <see cref="Jwt"/> turns it on as well.
    /// </summary>
    public bool RequireAuthentication { get; set; }

    /// <summary>JWT bearer tokens accepted in addition to API keys.</summary>
    public JwtOptions Jwt { get; set; } = new();

    /// <summary>
    /// Explicit opt-out: start on a non-loopback address even though no authentication is configured
    /// (anyone who can reach the port can do everything). Logged as a warning at every start.
    /// </summary>
    public bool AllowUnauthenticatedNonLoopback { get; set; }

    /// <summary>
    /// Explicit opt-out: serve plain-text HTTP/2 (h2c) on a non-loopback address, so credentials travel
    /// unencrypted. Logged as a warning at every start. Use when TLS ends at a proxy in front of the server.
    /// </summary>
    public bool AllowPlaintextNonLoopback { get; set; }

    /// <summary>Most streaming calls one caller may have open at once (all streaming RPCs together).</summary>
    [Range(1, 100_000)]
    public int MaxStreamsPerCaller { get; set; } = 256;

    /// <summary>How fast one caller may submit inputs.</summary>
    public IngestRateOptions IngestRate { get; set; } = new();

    /// <summary>Whether calls need a credential: explicitly required, or implied by a JWT configuration.</summary>
    public bool AuthenticationEnabled => RequireAuthentication || Jwt.IsConfigured;
}

/// <summary>JWT bearer validation: a symmetric signing key, or an issuer (authority) publishing its keys.</summary>
public sealed class JwtOptions
{
    /// <summary>
    /// Shared HMAC signing key (HS256/384/512), at least 32 bytes. <c>base64:</c> prefix for binary keys,
    /// otherwise the UTF-8 bytes of the text.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>An OpenID Connect authority whose discovery document gives the signing keys and the issuer.</summary>
    public string? Authority { get; set; }

    /// <summary>The expected <c>iss</c>; checked when set.</summary>
    public string? Issuer { get; set; }

    /// <summary>The expected <c>aud</c>; checked when set.</summary>
    public string? Audience { get; set; }

    /// <summary>Allowed clock difference between the issuer and this server.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether JWTs are accepted at all.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(SigningKey) || !string.IsNullOrWhiteSpace(Authority);
}

/// <summary>
/// A token bucket per caller over inputs accepted (one token per input, on AcceptInput and for every input an
/// AcceptInputStream message carries). Unary calls over the rate are refused with RESOURCE_EXHAUSTED (reason <c>RATE_LIMITED</c>);
/// streams are paced instead (the next message is read once a token is available).
/// </summary>
public sealed class IngestRateOptions
{
    /// <summary>
    /// Tokens added every <see cref="Period"/>. 0 turns the rate limit off. The default sits above what one caller can
    /// push through a whole server on the 2-core machines it was measured on (AcceptInputStream ~60k/s, end to end
    /// ~33k/s), so out of the box it never holds a producer back and only bounds a runaway one; lower it to share a
    /// server fairly between callers.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int PermitsPerPeriod { get; set; } = 500_000;

    /// <summary>How often tokens are added.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most tokens a bucket holds: the largest burst. Defaults to one period's worth.</summary>
    [Range(0, int.MaxValue)]
    public int Burst { get; set; }

    /// <summary>Whether inputs are rate limited at all.</summary>
    public bool Enabled => PermitsPerPeriod > 0;

    /// <summary>The bucket size in effect.</summary>
    public int EffectiveBurst => Burst > 0 ? Burst : PermitsPerPeriod;
}
