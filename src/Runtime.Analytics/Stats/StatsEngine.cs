using Microsoft.Extensions.Options;
using Runtime.Analytics.Pipeline;
using Runtime.Core.Events;
using Runtime.Core.Inputs;
using Runtime.Observation.Events;

namespace Runtime.Analytics.Stats;

/// <summary>
/// Totals, sliding-window rates with trends, latency distributions and per-runtime / per-destination rows over the
/// runtime events it is fed. One lock guards everything, so a snapshot is one point in time; feeding is O(1) per
/// event apart from row lookups.
/// </summary>
public sealed class StatsEngine : IAnalyticsConsumer
{
    private const string OtherRow = "(other)";
    private static readonly int MetricCount = Enum.GetValues<StatsMetric>().Length;

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly StatsOptions _options;
    private readonly int _windowSeconds;
    private readonly RateWindow _rates;
    private readonly long[] _totals = new long[MetricCount];
    private readonly LatencyRecorder _acceptToConsume = new();
    private readonly LatencyRecorder _delivery = new();
    private readonly Dictionary<string, StatsRowAccumulator> _runtimes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StatsRowAccumulator> _destinations = new(StringComparer.Ordinal);
    private long _lastSequence;
    private long _filterEpoch;

    /// <summary>Creates an engine with the given window.</summary>
    public StatsEngine(IOptions<StatsOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _windowSeconds = Math.Max(2, (int)_options.Window.TotalSeconds);
        _rates = new RateWindow(_windowSeconds, MetricCount);
    }

    /// <summary>Counts one event; <paramref name="filterEpoch"/> is the server filter epoch it passed.</summary>
    public void Observe(StreamedEvent streamed, long filterEpoch) => Observe(new ReadOnlySpan<StreamedEvent>(in streamed), filterEpoch);

    /// <inheritdoc />
    public void Observe(ReadOnlySpan<StreamedEvent> events, long filterEpoch)
    {
        lock (_lock)
        {
            foreach (var streamed in events)
            {
                Count(streamed);
            }

            _filterEpoch = filterEpoch;
        }
    }

    /// <summary>A consistent snapshot: rows ranked by <paramref name="order"/>, at most <paramref name="top"/> of each (0: all).</summary>
    public StatsSnapshot GetSnapshot(int top = 0, StatsOrder order = StatsOrder.Rate)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var nowSecond = now.ToUnixTimeSeconds();
            return new StatsSnapshot
            {
                Time = now,
                Window = TimeSpan.FromSeconds(_windowSeconds),
                LastSequence = _lastSequence,
                FilterEpoch = _filterEpoch,
                Totals = Counters(_totals),
                Rates = [.. Enum.GetValues<StatsMetric>().Select(m => Rate(m, nowSecond))],
                AcceptToConsume = _acceptToConsume.Summarize(),
                Delivery = _delivery.Summarize(),
                Runtimes = Rank(_runtimes, nowSecond, top, order),
                Destinations = Rank(_destinations, nowSecond, top, order),
            };
        }
    }

    internal static StatsCounters Counters(long[] totals) => new(
        totals[(int)StatsMetric.Accepted],
        totals[(int)StatsMetric.Consumed],
        totals[(int)StatsMetric.Abandoned],
        totals[(int)StatsMetric.FailedAttempts],
        totals[(int)StatsMetric.Bytes]);

    private static List<StatsRow> Rank(Dictionary<string, StatsRowAccumulator> rows, long nowSecond, int top, StatsOrder order)
    {
        var all = rows.Values.Select(r => r.ToRow(nowSecond));
        var ranked = order == StatsOrder.Latency
            ? all.OrderByDescending(r => r.MeanLatency).ThenBy(r => r.Key, StringComparer.Ordinal)
            : all.OrderByDescending(r => r.ConsumedPerSecond).ThenByDescending(r => r.Totals.Consumed).ThenBy(r => r.Key, StringComparer.Ordinal);
        return top > 0 ? [.. ranked.Take(top)] : [.. ranked];
    }

    private void Count(StreamedEvent streamed)
    {
        var e = streamed.Event;
        _lastSequence = streamed.Sequence;

        // Only the events below are counted: the others cost no row lookup.
        switch (e.Kind)
        {
            case RuntimeEventKind.InputTransitioned when e.ToPhase == InputPhase.Accepted:
                Count(StatsMetric.Accepted, 1, e, StatsMetric.Bytes, e.Bytes);
                break;
            case RuntimeEventKind.InputTransitioned when e.ToPhase == InputPhase.Consumed:
                Count(StatsMetric.Consumed, 1, e);
                if (e.Latency is { } consumeLatency)
                {
                    _acceptToConsume.Record(consumeLatency);
                    RuntimeRow(e)?.AddLatency(consumeLatency);
                }

                break;
            case RuntimeEventKind.InputTransitioned when e.ToPhase == InputPhase.Abandoned:
                Count(StatsMetric.Abandoned, 1, e);
                break;
            case RuntimeEventKind.RunFailed:
                Count(StatsMetric.FailedAttempts, 1, e);
                break;
            case RuntimeEventKind.RunCompleted when e.Latency is { } deliveryLatency:
                _delivery.Record(deliveryLatency);
                DestinationRow(e)?.AddLatency(deliveryLatency);
                break;
        }
    }

    private StatsRowAccumulator? RuntimeRow(RuntimeEvent e) => e.RuntimeId.Length > 0 ? Row(_runtimes, e.RuntimeId) : null;

    private StatsRowAccumulator? DestinationRow(RuntimeEvent e) => e.Destination is { Length: > 0 } d ? Row(_destinations, d) : null;

    /// <summary>Counts <paramref name="metric"/> (and an optional second one) for the event's second, runtime and destination.</summary>
    private void Count(StatsMetric metric, long amount, RuntimeEvent e, StatsMetric? also = null, long alsoAmount = 0)
    {
        var second = e.Time.ToUnixTimeSeconds();
        var (runtime, destination) = (RuntimeRow(e), DestinationRow(e));
        Count(metric, amount, second, runtime, destination);
        if (also is { } other)
        {
            Count(other, alsoAmount, second, runtime, destination);
        }
    }

    private void Count(StatsMetric metric, long amount, long second, StatsRowAccumulator? runtime, StatsRowAccumulator? destination)
    {
        _totals[(int)metric] += amount;
        _rates.Add(second, (int)metric, amount);
        runtime?.Add(metric, amount, second);
        destination?.Add(metric, amount, second);
    }

    private MetricRate Rate(StatsMetric metric, long nowSecond)
    {
        var half = _windowSeconds / 2;
        var recent = _rates.Sum((int)metric, nowSecond - half + 1, nowSecond);
        var previous = _rates.Sum((int)metric, nowSecond - (2 * half) + 1, nowSecond - half);
        var whole = _rates.Sum((int)metric, nowSecond - _windowSeconds + 1, nowSecond);
        var change = previous == 0 ? (recent == 0 ? 0 : 100) : (recent - previous) * 100.0 / previous;
        var trend = change > _options.StableBandPercent ? Trend.Rising
            : change < -_options.StableBandPercent ? Trend.Falling
            : Trend.Stable;
        return new MetricRate(metric, (double)whole / _windowSeconds, trend, change);
    }

    private StatsRowAccumulator Row(Dictionary<string, StatsRowAccumulator> rows, string key)
    {
        if (rows.TryGetValue(key, out var row))
        {
            return row;
        }

        // A bounded table: past the limit, new keys share one row so memory stays flat.
        key = rows.Count >= _options.MaxRows ? OtherRow : key;
        if (!rows.TryGetValue(key, out row))
        {
            row = new StatsRowAccumulator(key, _windowSeconds);
            rows[key] = row;
        }

        return row;
    }
}
