namespace Runtime.Analytics;

/// <summary>Settings of analytics (section <c>Runtime:Analytics</c>).</summary>
public sealed class AnalyticsOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Runtime:Analytics";

    /// <summary>The service's data directory (the host sets it from <c>Runtime:DataDirectory</c>).</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>
    /// How long the analytics pump waits, once caught up with the event stream, before reading again: events gather
    /// into batches, so the pump and its consumers wake a few dozen times a second instead of for every commit. It
    /// delays stats, trie and recording by at most this much.
    /// </summary>
    public TimeSpan PumpPause { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Rows a recording buffers before it drops (and counts) new ones.</summary>
    public int RecordingQueueCapacity { get; set; } = 65_536;

    /// <summary>Most rows written per Parquet row group.</summary>
    public int RecordingBatchSize { get; set; } = 8_192;

    /// <summary>
    /// Longest a recorded row waits for its row group to fill before the group is written anyway. Large row groups
    /// keep the writer's cost per row low (a row group has a fixed cost per column); this bounds how far the file
    /// lags behind the stream.
    /// </summary>
    public TimeSpan RecordingFlushInterval { get; set; } = TimeSpan.FromSeconds(1);
}
