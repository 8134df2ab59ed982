namespace Runtime.Analytics.Stats;

/// <summary>Everything GetStats answers, taken at one point in time.</summary>
public sealed record StatsSnapshot
{
    /// <summary>When the snapshot was taken.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The sliding window the rates cover.</summary>
    public required TimeSpan Window { get; init; }

    /// <summary>Sequence of the last event counted (0 when none).</summary>
    public required long LastSequence { get; init; }

    /// <summary>The server filter epoch of the last event counted.</summary>
    public required long FilterEpoch { get; init; }

    /// <summary>Totals since the engine started.</summary>
    public required StatsCounters Totals { get; init; }

    /// <summary>Per-second rates over the window, with trends, one per metric.</summary>
    public required IReadOnlyList<MetricRate> Rates { get; init; }

    /// <summary>Accept-to-consume latency of consumed inputs.</summary>
    public required LatencySummary AcceptToConsume { get; init; }

    /// <summary>Delivery latency of completed runs.</summary>
    public required LatencySummary Delivery { get; init; }

    /// <summary>One row per runtime (ordered by the requested top-N order, at most the requested count).</summary>
    public required IReadOnlyList<StatsRow> Runtimes { get; init; }

    /// <summary>One row per destination (same order and bound).</summary>
    public required IReadOnlyList<StatsRow> Destinations { get; init; }
}

/// <summary>Counts since the engine started.</summary>
public sealed record StatsCounters(long Accepted, long Consumed, long Abandoned, long FailedAttempts, long Bytes);

/// <summary>A metric's rate over the window and its trend.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="PerSecond">Average per second over the whole window.</param>
/// <param name="Trend">Rising, falling or stable.</param>
/// <param name="ChangePercent">Change of the last half of the window against the half before, in percent.</param>
public sealed record MetricRate(StatsMetric Metric, double PerSecond, Trend Trend, double ChangePercent);

/// <summary>A latency distribution.</summary>
public sealed record LatencySummary(
    long Count,
    TimeSpan Min,
    TimeSpan Mean,
    TimeSpan P50,
    TimeSpan P95,
    TimeSpan P99,
    TimeSpan Max,
    IReadOnlyList<LatencyBucket> Histogram)
{
    /// <summary>No samples.</summary>
    public static LatencySummary Empty { get; } = new(0, default, default, default, default, default, default, []);
}

/// <summary>Samples at or below <paramref name="UpperBound"/> and above the previous bucket's bound.</summary>
public sealed record LatencyBucket(TimeSpan UpperBound, long Count);

/// <summary>Counts of one runtime or destination.</summary>
public sealed record StatsRow(
    string Key,
    StatsCounters Totals,
    double ConsumedPerSecond,
    TimeSpan MeanLatency,
    TimeSpan MaxLatency);

/// <summary>How rows are ranked for top-N.</summary>
public enum StatsOrder
{
    /// <summary>Most consumed per second over the window first.</summary>
    Rate,

    /// <summary>Highest mean latency first.</summary>
    Latency,
}
