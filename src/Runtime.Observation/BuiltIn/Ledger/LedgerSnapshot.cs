using Runtime.Observation.Observers;

namespace Runtime.Observation.BuiltIn.Ledger;

/// <summary>Accept-to-consume latency percentiles over some window.</summary>
public sealed record LatencyPercentiles(long Count, TimeSpan P50, TimeSpan P95, TimeSpan P99, TimeSpan Max)
{
    /// <summary>No samples.</summary>
    public static LatencyPercentiles None { get; } = new(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
}

/// <summary>Input throughput of one cycle, per second.</summary>
public sealed record LedgerRates(double AcceptedPerSecond, double ConsumedPerSecond, double AbandonedPerSecond)
{
    /// <summary>Nothing moved.</summary>
    public static LedgerRates Zero { get; } = new(0, 0, 0);
}

/// <summary>
/// The <c>ledger</c> snapshot: totals since the observer started, the last cycle's rates and latency, latency since
/// start, and how many events it missed because it fell behind the event stream's ring (never silent).
/// </summary>
public sealed record LedgerSnapshot(
    long Accepted,
    long Consumed,
    long Abandoned,
    LedgerRates LastCycleRates,
    LatencyPercentiles LastCycleLatency,
    LatencyPercentiles Latency,
    long MissedEvents) : SnapshotContent;

/// <summary>Throughput and latency of one cycle in which inputs moved (idle cycles report nothing).</summary>
public sealed record LedgerRatesObserved(
    long Accepted, long Consumed, long Abandoned, TimeSpan Window, LedgerRates Rates, LatencyPercentiles Latency)
    : ObservationEvent
{
    /// <inheritdoc />
    public override string Kind => "ledger_rates";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>
    {
        ["accepted"] = Text(Accepted),
        ["consumed"] = Text(Consumed),
        ["abandoned"] = Text(Abandoned),
        ["window_ms"] = Text(Window.TotalMilliseconds),
        ["accepted_per_second"] = Text(Rates.AcceptedPerSecond),
        ["consumed_per_second"] = Text(Rates.ConsumedPerSecond),
        ["abandoned_per_second"] = Text(Rates.AbandonedPerSecond),
        ["latency_p50_ms"] = Text(Latency.P50.TotalMilliseconds),
        ["latency_p95_ms"] = Text(Latency.P95.TotalMilliseconds),
        ["latency_p99_ms"] = Text(Latency.P99.TotalMilliseconds),
    };

    private static string Text(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
