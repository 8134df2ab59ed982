namespace Runtime.Server.Security.Limits;

/// <summary>The ErrorInfo reasons of RESOURCE_EXHAUSTED answers from the per-caller limits.</summary>
public static class LimitReasons
{
    /// <summary>A request message is larger than <c>Runtime:MaxMessageBytes</c> (metadata <c>max_message_bytes</c>).</summary>
    public const string MessageTooLarge = "MESSAGE_TOO_LARGE";

    /// <summary>The caller has <c>Runtime:Security:MaxStreamsPerCaller</c> streams open (metadata <c>max_streams</c>).</summary>
    public const string StreamLimitReached = "STREAM_LIMIT_REACHED";

    /// <summary>The caller submits inputs faster than its ingest rate (metadata <c>retry_after_ms</c> when known).</summary>
    public const string RateLimited = "RATE_LIMITED";
}
