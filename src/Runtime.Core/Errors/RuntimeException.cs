namespace Runtime.Core.Errors;

/// <summary>One field that failed validation, named by its request path (for example <c>input.payload</c>).</summary>
public sealed record FieldViolation(string Field, string Description);

/// <summary>
/// The one exception type the domain throws for failures a caller can act on. It carries everything a
/// <c>google.rpc.Status</c> needs: a kind (the code), a stable UPPER_SNAKE_CASE reason, metadata for every dynamic
/// value in the message, and field violations for bad requests.
/// </summary>
public sealed class RuntimeException : Exception
{
    /// <summary>Creates a domain failure.</summary>
    public RuntimeException(
        ErrorKind kind,
        string reason,
        string message,
        IReadOnlyDictionary<string, string>? metadata = null,
        IReadOnlyList<FieldViolation>? violations = null,
        Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Reason = reason;
        Metadata = metadata ?? new Dictionary<string, string>();
        Violations = violations ?? [];
    }

    /// <summary>The kind of failure (maps to the gRPC status code).</summary>
    public ErrorKind Kind { get; }

    /// <summary>Stable machine-readable reason, UPPER_SNAKE_CASE (for example <c>RUNTIME_NOT_FOUND</c>).</summary>
    public string Reason { get; }

    /// <summary>Every dynamic value the message mentions, by name.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Field violations when <see cref="Kind"/> is <see cref="ErrorKind.InvalidArgument"/>.</summary>
    public IReadOnlyList<FieldViolation> Violations { get; }
}
