namespace Runtime.Analytics.Stats;

/// <summary>
/// Per-second counters over a sliding window: a ring of one-second buckets, each stamped with its second so stale
/// buckets read as zero without a sweep. Not thread-safe (the engine's lock guards it).
/// </summary>
internal sealed class RateWindow(int seconds, int metrics)
{
    private readonly long[] _stamps = Enumerable.Repeat(long.MinValue, seconds).ToArray();
    private readonly long[] _counts = new long[seconds * metrics];

    /// <summary>The window length in seconds.</summary>
    public int Seconds => seconds;

    /// <summary>Adds <paramref name="amount"/> to <paramref name="metric"/> in the bucket of <paramref name="second"/>.</summary>
    public void Add(long second, int metric, long amount)
    {
        var slot = (int)(((second % seconds) + seconds) % seconds);
        if (_stamps[slot] != second)
        {
            if (_stamps[slot] > second)
            {
                return; // older than the window: it no longer counts toward a rate
            }

            _stamps[slot] = second;
            Array.Clear(_counts, slot * metrics, metrics);
        }

        _counts[(slot * metrics) + metric] += amount;
    }

    /// <summary>The sum of <paramref name="metric"/> over the seconds <paramref name="from"/> to <paramref name="to"/> inclusive.</summary>
    public long Sum(int metric, long from, long to)
    {
        var total = 0L;
        for (var slot = 0; slot < seconds; slot++)
        {
            if (_stamps[slot] >= from && _stamps[slot] <= to)
            {
                total += _counts[(slot * metrics) + metric];
            }
        }

        return total;
    }
}
