using System.Diagnostics;
using System.Globalization;
using HdrHistogram;

namespace Runtime.Bench.Harness;

/// <summary>What a load run reached.</summary>
public sealed record LoadResult(long Operations, TimeSpan Elapsed, HistogramBase Latency, long Errors)
{
    /// <summary>Operations per second.</summary>
    public double PerSecond => Operations / Elapsed.TotalSeconds;

    /// <summary>Latency at a percentile, in milliseconds.</summary>
    public double Ms(double percentile) => Latency.TotalCount == 0
        ? 0
        : Latency.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;

    /// <summary>One line: rate and p50/p99.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{PerSecond,10:N0}/s  p50 {Ms(50),7:N2} ms  p99 {Ms(99),7:N2} ms  ({Operations:N0} in {Elapsed.TotalSeconds:N1} s, {Errors} errors)");
}

/// <summary>Closed-loop load: a fixed number of callers, each calling again as soon as its call returns.</summary>
public static class Load
{
    /// <summary>
    /// Runs <paramref name="callers"/> loops of <paramref name="call"/> (caller index, iteration) for
    /// <paramref name="duration"/>; each call's latency is recorded.
    /// </summary>
    public static async Task<LoadResult> ClosedLoopAsync(int callers, TimeSpan duration, Func<int, long, Task> call)
    {
        var histograms = Enumerable.Range(0, callers).Select(_ => new LongHistogram(TimeStamp.Minutes(1), 3)).ToArray();
        long operations = 0, errors = 0;
        using var stop = new CancellationTokenSource(duration);
        var started = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, callers).Select(async caller =>
        {
            await Task.Yield();
            for (long i = 0; !stop.IsCancellationRequested; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    await call(caller, i);
                    histograms[caller].RecordValue(Stopwatch.GetTimestamp() - t0);
                    Interlocked.Increment(ref operations);
                }
                catch (Exception) when (!stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        });
        await Task.WhenAll(loops);
        var elapsed = started.Elapsed;
        var total = new LongHistogram(TimeStamp.Minutes(1), 3);
        foreach (var h in histograms)
        {
            total.Add(h);
        }

        return new LoadResult(operations, elapsed, total, errors);
    }
}
