using HdrHistogram;

namespace Runtime.Analytics.Stats;

/// <summary>A latency distribution (HdrHistogram, microseconds, 3 significant digits) with the exact min and max.</summary>
internal sealed class LatencyRecorder
{
    /// <summary>Largest latency tracked (one hour); longer ones are clamped to it.</summary>
    public const long HighestMicroseconds = 3_600_000_000;

    private const long FirstBucketMicros = 100;

    private readonly LongHistogram _histogram = new(HighestMicroseconds, 3);
    private long _min = long.MaxValue;
    private long _max;
    private double _sum;

    /// <summary>Records one latency.</summary>
    public void Record(TimeSpan latency)
    {
        var micros = Math.Clamp((long)latency.TotalMicroseconds, 0, HighestMicroseconds);
        _histogram.RecordValue(micros);
        _min = Math.Min(_min, micros);
        _max = Math.Max(_max, micros);
        _sum += micros;
    }

    /// <summary>A summary with percentiles and a logarithmic histogram (doubling buckets from 100 µs).</summary>
    public LatencySummary Summarize()
    {
        var count = _histogram.TotalCount;
        if (count == 0)
        {
            return LatencySummary.Empty;
        }

        // Doubling buckets from 100 µs up to the largest sample, filled from the histogram's recorded values.
        var bounds = new List<long> { FirstBucketMicros };
        while (bounds[^1] < _max)
        {
            bounds.Add(bounds[^1] * 2);
        }

        var counts = new long[bounds.Count];
        foreach (var value in _histogram.RecordedValues())
        {
            var index = bounds.BinarySearch(value.ValueIteratedTo);
            counts[index >= 0 ? index : Math.Min(~index, counts.Length - 1)] += value.CountAtValueIteratedTo;
        }

        var buckets = bounds.Select((bound, i) => new LatencyBucket(Micros(bound), counts[i])).ToList();

        return new LatencySummary(
            count,
            Micros(_min),
            TimeSpan.FromMicroseconds(_sum / count),
            Micros(_histogram.GetValueAtPercentile(50)),
            Micros(_histogram.GetValueAtPercentile(95)),
            Micros(_histogram.GetValueAtPercentile(99)),
            Micros(_max),
            buckets);
    }

    private static TimeSpan Micros(long micros) => TimeSpan.FromMicroseconds(micros);
}
