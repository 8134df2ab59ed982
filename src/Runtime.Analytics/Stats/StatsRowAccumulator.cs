namespace Runtime.Analytics.Stats;

/// <summary>The running counts of one runtime or destination. Guarded by the engine's lock.</summary>
internal sealed class StatsRowAccumulator(string key, int windowSeconds)
{
    private readonly RateWindow _consumed = new(windowSeconds, 1);
    private readonly long[] _totals = new long[Enum.GetValues<StatsMetric>().Length];
    private long _latencyCount;
    private double _latencySumMicros;
    private TimeSpan _maxLatency;

    public void Add(StatsMetric metric, long amount, long second)
    {
        _totals[(int)metric] += amount;
        if (metric == StatsMetric.Consumed)
        {
            _consumed.Add(second, 0, amount);
        }
    }

    public void AddLatency(TimeSpan latency)
    {
        _latencyCount++;
        _latencySumMicros += latency.TotalMicroseconds;
        _maxLatency = latency > _maxLatency ? latency : _maxLatency;
    }

    public StatsRow ToRow(long nowSecond) => new(
        key,
        StatsEngine.Counters(_totals),
        (double)_consumed.Sum(0, nowSecond - windowSeconds + 1, nowSecond) / windowSeconds,
        _latencyCount == 0 ? TimeSpan.Zero : TimeSpan.FromMicroseconds(_latencySumMicros / _latencyCount),
        _maxLatency);
}
