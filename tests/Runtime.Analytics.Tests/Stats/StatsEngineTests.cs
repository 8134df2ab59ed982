using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Runtime.Analytics.Stats;
using Runtime.Core.Inputs;

namespace Runtime.Analytics.Tests.Stats;

public sealed class StatsEngineTests
{
    private readonly FakeTimeProvider _time = new(Events.Start);

    [Fact]
    public void Percentiles_are_within_histogram_precision_of_exact_values()
    {
        var engine = NewEngine();
        var random = new Random(42);
        var latencies = Enumerable.Range(0, 10_000).Select(_ => random.Next(50, 2_000_000)).ToArray();
        for (var i = 0; i < latencies.Length; i++)
        {
            engine.Observe(Events.Input(i + 1, "r", InputPhase.Consumed, latency: TimeSpan.FromMicroseconds(latencies[i])), 0);
        }

        var summary = engine.GetSnapshot().AcceptToConsume;
        var sorted = latencies.Order().ToArray();

        Assert.Equal(latencies.Length, summary.Count);
        Assert.Equal(sorted[0], summary.Min.TotalMicroseconds);
        Assert.Equal(sorted[^1], summary.Max.TotalMicroseconds);
        Assert.Equal(latencies.Average(), summary.Mean.TotalMicroseconds, 0.001 * latencies.Average());
        AssertClose(Exact(sorted, 50), summary.P50);
        AssertClose(Exact(sorted, 95), summary.P95);
        AssertClose(Exact(sorted, 99), summary.P99);
        Assert.Equal(latencies.Length, summary.Histogram.Sum(b => b.Count));
        Assert.True(summary.Histogram[^1].UpperBound.TotalMicroseconds >= sorted[^1]);
    }

    [Fact]
    public void Totals_and_rows_count_each_kind_of_event()
    {
        var engine = NewEngine();
        engine.Observe(Events.Input(1, "a", InputPhase.Accepted, bytes: 100), 3);
        engine.Observe(Events.Input(2, "a", InputPhase.Accepted, bytes: 50), 3);
        engine.Observe(Events.Input(3, "b", InputPhase.Accepted, bytes: 7), 3);
        engine.Observe(Events.Input(4, "a", InputPhase.Consumed, latency: TimeSpan.FromMilliseconds(10), destination: "d1"), 3);
        engine.Observe(Events.Input(5, "b", InputPhase.Abandoned, destination: "d2"), 3);
        engine.Observe(Events.Run(6, "a", completed: false, TimeSpan.FromMilliseconds(3), "d1"), 3);
        engine.Observe(Events.Run(7, "a", completed: true, TimeSpan.FromMilliseconds(4), "d1"), 4);

        var snapshot = engine.GetSnapshot();

        Assert.Equal(new StatsCounters(3, 1, 1, 1, 157), snapshot.Totals);
        Assert.Equal(7, snapshot.LastSequence);
        Assert.Equal(4, snapshot.FilterEpoch);
        Assert.Equal(1, snapshot.Delivery.Count);
        var a = snapshot.Runtimes.Single(r => r.Key == "a");
        Assert.Equal(new StatsCounters(2, 1, 0, 1, 150), a.Totals);
        Assert.Equal(TimeSpan.FromMilliseconds(10), a.MeanLatency);
        var d1 = snapshot.Destinations.Single(r => r.Key == "d1");
        Assert.Equal(new StatsCounters(0, 1, 0, 1, 0), d1.Totals);
        Assert.Equal(TimeSpan.FromMilliseconds(4), d1.MaxLatency);
    }

    [Fact]
    public void Rates_cover_the_window_and_trends_compare_its_halves()
    {
        var engine = NewEngine(window: TimeSpan.FromSeconds(10));
        var sequence = 0L;

        // 1 consumed per second for the first half, 3 per second for the second half.
        for (var second = 0; second < 10; second++)
        {
            for (var n = 0; n < (second < 5 ? 1 : 3); n++)
            {
                engine.Observe(Events.Input(++sequence, "r", InputPhase.Consumed, time: Events.Start.AddSeconds(second)), 0);
            }
        }

        _time.SetUtcNow(Events.Start.AddSeconds(9));
        var rising = engine.GetSnapshot().Rates.Single(r => r.Metric == StatsMetric.Consumed);

        Assert.Equal(2.0, rising.PerSecond, 6);
        Assert.Equal(Trend.Rising, rising.Trend);
        Assert.Equal(200.0, rising.ChangePercent, 6);

        _time.SetUtcNow(Events.Start.AddSeconds(14));
        var falling = engine.GetSnapshot().Rates.Single(r => r.Metric == StatsMetric.Consumed);
        Assert.Equal(Trend.Falling, falling.Trend);
        Assert.Equal(-100.0, falling.ChangePercent, 6);

        _time.SetUtcNow(Events.Start.AddSeconds(60));
        var idle = engine.GetSnapshot().Rates.Single(r => r.Metric == StatsMetric.Consumed);
        Assert.Equal(0, idle.PerSecond);
        Assert.Equal(Trend.Stable, idle.Trend);
    }

    [Fact]
    public void Top_rows_rank_by_rate_or_by_latency()
    {
        var engine = NewEngine();
        var sequence = 0L;
        foreach (var (runtime, count, latencyMs) in new[] { ("slow", 1, 900), ("busy", 5, 1), ("mid", 3, 50) })
        {
            for (var i = 0; i < count; i++)
            {
                engine.Observe(Events.Input(++sequence, runtime, InputPhase.Consumed, latency: TimeSpan.FromMilliseconds(latencyMs)), 0);
            }
        }

        Assert.Equal(["busy", "mid"], engine.GetSnapshot(2, StatsOrder.Rate).Runtimes.Select(r => r.Key));
        Assert.Equal(["slow", "mid"], engine.GetSnapshot(2, StatsOrder.Latency).Runtimes.Select(r => r.Key));
        Assert.Equal(3, engine.GetSnapshot().Runtimes.Count);
    }

    [Fact]
    public void Rows_past_the_limit_fold_into_one_other_row()
    {
        var engine = NewEngine(maxRows: 2);
        for (var i = 0; i < 5; i++)
        {
            engine.Observe(Events.Input(i + 1, $"r{i}", InputPhase.Accepted), 0);
        }

        var rows = engine.GetSnapshot().Runtimes;

        Assert.Equal(3, rows.Count);
        Assert.Equal(3, rows.Single(r => r.Key == "(other)").Totals.Accepted);
    }

    private StatsEngine NewEngine(TimeSpan? window = null, int maxRows = 1000) =>
        new(Options.Create(new StatsOptions { Window = window ?? TimeSpan.FromMinutes(1), MaxRows = maxRows }), _time);

    private static double Exact(int[] sorted, double percentile) =>
        sorted[Math.Max(0, (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1)];

    private static void AssertClose(double exact, TimeSpan actual) =>
        Assert.InRange(actual.TotalMicroseconds, exact * 0.999, exact * 1.001 + 1);
}
