namespace Runtime.Analytics;

/// <summary>Settings of analytics (section <c>Runtime:Analytics</c>).</summary>
public sealed class AnalyticsOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Runtime:Analytics";

    /// <summary>The service's data directory (the host sets it from <c>Runtime:DataDirectory</c>).</summary>
    public string DataDirectory { get; set; } = "./data";

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
