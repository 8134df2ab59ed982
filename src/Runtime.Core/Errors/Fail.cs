namespace Runtime.Core.Errors;

/// <summary>Short constructors for the domain's failures, so call sites read as one line.</summary>
public static class Fail
{
    /// <summary>A request field is missing or malformed.</summary>
    public static RuntimeException InvalidField(string field, string description, string reason = "INVALID_FIELD") =>
        new(ErrorKind.InvalidArgument, reason, $"{field}: {description}",
            new Dictionary<string, string> { ["field"] = field }, [new FieldViolation(field, description)]);

    /// <summary>Several request fields are bad at once.</summary>
    public static RuntimeException InvalidFields(IReadOnlyList<FieldViolation> violations, string reason = "INVALID_FIELD") =>
        new(ErrorKind.InvalidArgument, reason,
            string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")),
            new Dictionary<string, string> { ["fields"] = string.Join(",", violations.Select(v => v.Field)) },
            violations);

    /// <summary>A named thing does not exist.</summary>
    public static RuntimeException NotFound(string reason, string message, params (string Key, string Value)[] metadata) =>
        new(ErrorKind.NotFound, reason, message, ToDictionary(metadata));

    /// <summary>A thing with that name exists and differs.</summary>
    public static RuntimeException AlreadyExists(string reason, string message, params (string Key, string Value)[] metadata) =>
        new(ErrorKind.AlreadyExists, reason, message, ToDictionary(metadata));

    /// <summary>The current state forbids the operation.</summary>
    public static RuntimeException Precondition(string reason, string message, params (string Key, string Value)[] metadata) =>
        new(ErrorKind.FailedPrecondition, reason, message, ToDictionary(metadata));

    /// <summary>A limit was hit.</summary>
    public static RuntimeException Exhausted(string reason, string message, params (string Key, string Value)[] metadata) =>
        new(ErrorKind.ResourceExhausted, reason, message, ToDictionary(metadata));

    private static Dictionary<string, string> ToDictionary((string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);
}
