using System.Globalization;
using HdrHistogram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Runtime.Bench.Harness;
using Runtime.Core.Hosting;
using Runtime.Observation.Events;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// Fan-out of WatchRuntimeEvents to 10, 100 and 1,000 subscribers while inputs flow, next to a do-nothing server
/// streaming the same message shapes, in one run: delivered events/s (saturated) and lag (paced), then one stalled
/// subscriber's effect on the others' lag. Bounded: about three minutes.
/// </summary>
public static class FanOut
{
    private static readonly int[] SubscriberCounts = [10, 100, 1_000];
    private const int StalledOthers = 100;
    private const int StalledPairs = 5;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);
    private const int PacedInputsPerSecond = 100;
    private const int Runtimes = 8;

    /// <summary>Runs the scenario and writes <c>bench/results/fanout.md</c>.</summary>
    public static async Task<int> RunAsync(string resultsDirectory)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("runtime-fanout-").FullName;
        try
        {
            return await RunAsync(resultsDirectory, dataDirectory);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task<int> RunAsync(string resultsDirectory, string dataDirectory)
    {
        var report = new Report("fanout");
        var runtimePort = Ports.Free();
        var barePort = Ports.Free();
        await using var runtime = await FanOutServers.StartRuntimeAsync(runtimePort, dataDirectory);
        var stream = runtime.Services.GetRequiredService<EventStream>();
        await using var bare = await FanOutServers.StartBareAsync(barePort);
        var feed = bare.Services.GetRequiredService<FanOutBareFeed>();
        var inputs = new FanOutInputs(runtime.Services.GetRequiredService<IRuntimeHost>(), Runtimes);
        await inputs.CreateAsync();

        // The server's own readers of the stream (the analytics pump) started with it; subscribers are counted above them.
        var background = stream.GetStatistics().ActiveWatchers;
        Func<int> watchers = () => stream.GetStatistics().ActiveWatchers - background;
        var runtimeAddress = $"http://127.0.0.1:{runtimePort}";
        var bareAddress = $"http://127.0.0.1:{barePort}";

        report.Line("WatchRuntimeEvents: the server's own service (each event serialised once; every response composed from those bytes).");
        report.Line($"Load average at start (other work shares these cores): {Machine.LoadAverage()}. Server-side readers of the stream besides the subscribers (analytics pump): {background}.");
        report.Line($"Inputs: {Runtimes} runtimes bound to inproc:accept, SQLite synchronous=NORMAL, 64-byte payloads. Clients: in the same process, one HTTP/2 connection per 90 streams. Each case: {Warmup.TotalSeconds:N0} s warm-up, {Window.TotalSeconds:N0} s measured.");
        report.Line("");
        report.Line("## Saturated: inputs as fast as they commit, subscribers read as fast as they can");
        report.Line("");
        report.Line("| subscribers | events published/s | Runtime delivered events/s | events/message | gaps | bare delivered events/s (same shape) | Runtime / bare |");
        report.Line("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var count in SubscriberCounts)
        {
            var measured = await MeasureAsync(runtimeAddress, count, watchers, () => stream.LastSequence,
                window => inputs.SaturateAsync(window));
            await feed.SaturateAsync(Math.Max(1, (int)Math.Round(measured.EventsPerMessage)));
            var baseline = await MeasureAsync(bareAddress, count, () => feed.Streams, null, Task.Delay);
            report.Line(Row(
                count,
                Rate(measured.Published),
                Rate(measured.Delivered),
                measured.EventsPerMessage.ToString("N1", CultureInfo.InvariantCulture),
                measured.Gaps.ToString(CultureInfo.InvariantCulture),
                Rate(baseline.Delivered),
                (measured.Delivered / baseline.Delivered).ToString("P0", CultureInfo.InvariantCulture)));
        }

        report.Line("");
        report.Line($"## Paced: about {PacedInputsPerSecond} inputs/s (a batch every 10 ms); lag = receive time - event time");
        report.Line("");
        report.Line("| subscribers | events published/s | watcher wakes/s | Runtime delivered events/s | events/message | Runtime lag p50 / p99 / max ms | gaps | bare delivered events/s | bare lag p50 / p99 / max ms |");
        report.Line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var count in SubscriberCounts)
        {
            var measured = await MeasureAsync(runtimeAddress, count, watchers, () => stream.LastSequence,
                window => inputs.PaceAsync(window, PacedInputsPerSecond), wakes: () => stream.GetStatistics().Wakes);
            var perTick = Math.Max(1, (int)Math.Round(measured.Published / 100));
            await feed.PaceAsync(perTick, TimeSpan.FromMilliseconds(10));
            var baseline = await MeasureAsync(bareAddress, count, () => feed.Streams, null, Task.Delay);
            report.Line(Row(
                count,
                Rate(measured.Published),
                Rate(measured.Wakes),
                Rate(measured.Delivered),
                measured.EventsPerMessage.ToString("N1", CultureInfo.InvariantCulture),
                Lag(measured.Lag),
                measured.Gaps.ToString(CultureInfo.InvariantCulture),
                Rate(baseline.Delivered),
                Lag(baseline.Lag)));
        }

        report.Line("");
        report.Line($"## One stalled subscriber (opens the stream on a shared connection, never reads), paced, {StalledOthers} others");
        report.Line("");
        report.Line($"{StalledPairs} back-to-back pairs (order alternating), so both runs of a pair see the same background load. After each " +
            "'with' run the stalled stream is read: the events it had been held back, and the gaps (resyncs) the server sent it.");
        report.Line("");
        report.Line($"| pair | the {StalledOthers}' delivered events/s without / with | lag p50 / p99 / max ms without | lag p50 / p99 / max ms with | p99 change | stalled: events held back / gaps |");
        report.Line("|---|---:|---:|---:|---:|---:|");
        var withouts = new List<double>();
        var withs = new List<double>();
        for (var pair = 1; pair <= StalledPairs; pair++)
        {
            Measurement? without = null, with = null;
            foreach (var stalled in pair % 2 == 1 ? new[] { false, true } : [true, false])
            {
                var m = await MeasureAsync(runtimeAddress, StalledOthers, watchers, () => stream.LastSequence,
                    window => inputs.PaceAsync(window, PacedInputsPerSecond), withStalled: stalled);
                (without, with) = stalled ? (without, m) : (m, with);
            }

            withouts.Add(without!.Lag.P99);
            withs.Add(with!.Lag.P99);
            report.Line(Row(
                pair,
                $"{Rate(without.Delivered)} / {Rate(with.Delivered)}",
                Lag(without.Lag),
                Lag(with.Lag),
                ((withs[^1] / withouts[^1]) - 1).ToString("+0%;-0%", CultureInfo.InvariantCulture),
                $"{with.StalledHeldBack:N0} / {with.StalledGaps:N0}"));
        }

        var (medianWithout, medianWith) = (Median(withouts), Median(withs));
        report.Line("");
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"Median p99 of the {StalledOthers} others: without {medianWithout:N1} ms, with one stalled {medianWith:N1} ms ({(medianWith / medianWithout) - 1:+0%;-0%})."));
        report.Line("");
        report.Line($"Load average at the end: {Machine.LoadAverage()}.");
        report.Line("");
        var wake = runtime.Services.GetRequiredService<IOptions<EventStreamOptions>>().Value;
        var perWatcher = wake.WakeDelayPerWatcher > TimeSpan.Zero
            ? $", plus {wake.WakeDelayPerWatcher.TotalMicroseconds:N0} µs per watcher up to {wake.MaxWakeDelay.TotalMilliseconds:N0} ms"
            : "";
        report.Line("How to read: servers and clients share the same two cores (and whatever else runs there), so only the ratios " +
            "within one run mean much. Saturated, both sides are bound by the clients parsing 256-event messages. Paced, the bare " +
            "server writes each 10 ms tick to every stream; Runtime writes what each watcher finds after a wake: one wake serves " +
            $"every watcher, and the wake delay ({wake.WakeDelay.TotalMilliseconds:N0} ms{perWatcher}) groups the events published " +
            "meanwhile. Gaps: events a subscriber lost because the ring overwrote them first.");
        report.Line($"Inputs accepted in total: {inputs.Accepted:N0}; events published: {stream.LastSequence - stream.FirstSequence + 1:N0}; ring capacity {stream.GetStatistics().RingCapacity:N0}.");

        var path = report.Save(resultsDirectory);
        Console.WriteLine($"wrote {path}");
        await runtime.StopAsync();
        await bare.StopAsync();
        return 0;
    }

    private static async Task<Measurement> MeasureAsync(
        string address,
        int count,
        Func<int> attached,
        Func<long>? published,
        Func<TimeSpan, Task> load,
        bool withStalled = false,
        Func<long>? wakes = null)
    {
        // The previous case's streams end asynchronously on the server: start from none.
        await UntilAsync(() => attached() == 0, "the previous subscribers detached");
        await using var subscribers = FanOutSubscribers.Open(address, count, withStalled);
        var expected = count + (withStalled ? 1 : 0);
        await UntilAsync(() => attached() == expected, $"{expected} subscribers attached");

        var running = load(Warmup + Window);
        await Task.Delay(Warmup);
        subscribers.ResetLag();
        var (events0, messages0, gaps0, published0) = (subscribers.Events, subscribers.Messages, subscribers.Gaps, published?.Invoke() ?? 0);
        var wakes0 = wakes?.Invoke() ?? 0;
        await Task.Delay(Window);
        var (events1, messages1, gaps1, published1) = (subscribers.Events, subscribers.Messages, subscribers.Gaps, published?.Invoke() ?? 0);
        var wakes1 = wakes?.Invoke() ?? 0;
        var lag = LagSummary.Of(subscribers.Lag());
        await running;
        var (heldBack, stalledGaps) = withStalled
            ? await subscribers.DrainStalledAsync(published?.Invoke() ?? 0, TimeSpan.FromSeconds(30))
            : (0, 0);
        var seconds = Window.TotalSeconds;
        return new Measurement(
            (events1 - events0) / seconds,
            (published1 - published0) / seconds,
            messages1 > messages0 ? (double)(events1 - events0) / (messages1 - messages0) : 0,
            gaps1 - gaps0,
            lag,
            heldBack,
            stalledGaps,
            (wakes1 - wakes0) / seconds);
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            await Task.Delay(20);
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Row(params object[] cells) => "| " + string.Join(" | ", cells) + " |";

    private static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);

    private static string Lag(LagSummary lag) => lag.Count == 0
        ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{lag.P50:N1} / {lag.P99:N1} / {lag.Max:N1}");

    /// <summary>Lag percentiles in milliseconds over <paramref name="Count"/> events.</summary>
    private sealed record LagSummary(double P50, double P99, double Max, long Count)
    {
        public static LagSummary Of(HistogramBase lag) => lag.TotalCount == 0
            ? new LagSummary(0, 0, 0, 0)
            : new LagSummary(lag.GetValueAtPercentile(50) / 1000.0, lag.GetValueAtPercentile(99) / 1000.0, lag.GetMaxValue() / 1000.0, lag.TotalCount);
    }

    private sealed record Measurement(
        double Delivered, double Published, double EventsPerMessage, long Gaps, LagSummary Lag, long StalledHeldBack = 0, long StalledGaps = 0, double Wakes = 0);
}
