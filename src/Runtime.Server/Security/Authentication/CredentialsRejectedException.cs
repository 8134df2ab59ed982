namespace Runtime.Server.Security.Authentication;

/// <summary>
/// Why a presented credential was refused, carried from an authentication handler to the gRPC answer
/// (UNAUTHENTICATED with this reason).
/// </summary>
public sealed class CredentialsRejectedException : Exception
{
    /// <summary>Creates a refusal.</summary>
    public CredentialsRejectedException(string reason, string message, IReadOnlyDictionary<string, string>? metadata = null)
        : base(message)
    {
        Reason = reason;
        Metadata = metadata ?? new Dictionary<string, string>();
    }

    /// <summary>Stable reason: <c>INVALID_CREDENTIALS</c>, <c>CREDENTIALS_EXPIRED</c> or <c>API_KEY_REVOKED</c>.</summary>
    public string Reason { get; }

    /// <summary>Every dynamic value of the message.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }
}
