namespace Runtime.Analytics.Recording;

/// <summary>The state of the current (or last) recording.</summary>
public sealed record RecordingStatus
{
    /// <summary>No recording has run yet.</summary>
    public static RecordingStatus None { get; } = new();

    /// <summary>True while a recording runs.</summary>
    public bool Active { get; init; }

    /// <summary>The file (absolute path), or empty when none has run.</summary>
    public string Path { get; init; } = "";

    /// <summary>Rows written to the file so far.</summary>
    public long RowsWritten { get; init; }

    /// <summary>Rows dropped because the queue was full (or the writer had failed).</summary>
    public long RowsDropped { get; init; }

    /// <summary>The last write error, or null.</summary>
    public string? LastError { get; init; }

    /// <summary>When the recording started, or null.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it stopped, or null while active.</summary>
    public DateTimeOffset? StoppedAt { get; init; }
}
