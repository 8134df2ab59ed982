namespace Runtime.Server.Errors;

/// <summary>
/// Bounds on what an error carries, so that it always fits the headers clients accept (8 KiB is a common limit on
/// initial metadata): a message, its ErrorInfo metadata and its field violations are cut to these sizes, and the
/// violations left out are counted (<c>field_violations_omitted</c>) and said in the message.
/// </summary>
public static class ErrorBounds
{
    /// <summary>Longest status message, in characters.</summary>
    public const int MaxMessageLength = 512;

    /// <summary>Most ErrorInfo metadata entries.</summary>
    public const int MaxMetadataEntries = 16;

    /// <summary>Longest ErrorInfo metadata key, in characters.</summary>
    public const int MaxMetadataKeyLength = 64;

    /// <summary>Longest ErrorInfo metadata value, in characters.</summary>
    public const int MaxMetadataValueLength = 256;

    /// <summary>Most field violations in one BadRequest.</summary>
    public const int MaxFieldViolations = 10;

    /// <summary>Longest field path of a violation, in characters.</summary>
    public const int MaxFieldLength = 128;

    /// <summary>Longest description of a violation, in characters.</summary>
    public const int MaxDescriptionLength = 256;

    /// <summary>Largest encoded google.rpc.Status (before base64 into <c>grpc-status-details-bin</c>).</summary>
    public const int MaxStatusBytes = 4096;

    /// <summary>The metadata key that counts the field violations left out.</summary>
    public const string OmittedViolationsKey = "field_violations_omitted";

    /// <summary>
    /// Largest total of the error headers a client receives (<c>grpc-message</c>, percent-encoded, plus
    /// <c>grpc-status-details-bin</c>, base64): what the bounds above add up to, with room to spare.
    /// </summary>
    public const int MaxErrorHeaderBytes = 8 * 1024;

    /// <summary><paramref name="text"/> cut to <paramref name="max"/> characters, saying how much was cut.</summary>
    public static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var marker = $"... ({text.Length - max} more characters)";
        var keep = Math.Max(0, max - marker.Length);
        // Never split a surrogate pair: half of one is not valid UTF-8 on the wire.
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), marker);
    }
}
