namespace Runtime.Server.Security.Authentication;

/// <summary>The ErrorInfo reasons of refused calls (domain <c>runtime</c>).</summary>
public static class CredentialReasons
{
    /// <summary>UNAUTHENTICATED: the call carries no <c>authorization</c> header.</summary>
    public const string Missing = "MISSING_CREDENTIALS";

    /// <summary>UNAUTHENTICATED: the credential is malformed, unknown, or its signature does not verify.</summary>
    public const string Invalid = "INVALID_CREDENTIALS";

    /// <summary>UNAUTHENTICATED: the API key or token has expired.</summary>
    public const string Expired = "CREDENTIALS_EXPIRED";

    /// <summary>UNAUTHENTICATED: the API key was revoked.</summary>
    public const string Revoked = "API_KEY_REVOKED";

    /// <summary>PERMISSION_DENIED: the credential is valid but lacks the method's scope (metadata <c>required_scope</c>).</summary>
    public const string InsufficientScope = "INSUFFICIENT_SCOPE";
}
