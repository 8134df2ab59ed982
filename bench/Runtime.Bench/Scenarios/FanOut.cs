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
/// streaming the same message shapes, in one run: delivered events/s (saturated) and lag (paced), with the process's
/// CPU per delivered message; then one stalled subscriber's effect on the others' lag. Bounded: about three minutes.
/// </summary>
public static class FanOut
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);
    private const int PacedInputsPerSecond = 100;
    private const int SweepSubscribers = 1_000;
    private static readonly int[] SweepInputsPerSecond = [10, 25, 50];
    private const int Runtimes = 8;

    /// <summary>
    /// Runs the scenario and writes <c>bench/results/fanout.md</c>. For development, <paramref name="parts"/> can pick
    /// some parts and subscriber counts (<see cref="FanOutSelection"/>): such a partial run prints its tables and
    /// writes no results file.
    /// </summary>
    public static async Task<int> RunAsync(string resultsDirectory, IReadOnlyList<string> parts)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("runtime-fanout-").FullName;
        try
        {
            return await RunAsync(resultsDirectory, dataDirectory, FanOutSelection.Of(parts));
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task<int> RunAsync(string resultsDirectory, string dataDirectory, FanOutSelection selection)
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
        var target = new Target($"http://127.0.0.1:{runtimePort}", () => stream.GetStatistics().ActiveWatchers - background,
            () => stream.LastSequence, () => stream.GetStatistics().Wakes);
        var baseline = new Target($"http://127.0.0.1:{barePort}", () => feed.Streams, null, null);
        await using var clients = FanOutClients.Start();

        report.Line("WatchRuntimeEvents: the server's own service (each event serialised once; every response composed from those bytes).");
        report.Line($"Load average at start (other work shares these cores): {Machine.LoadAverage()}. Server-side readers of the stream besides the subscribers (analytics pump): {background}.");
        report.Line($"Inputs: {Runtimes} runtimes bound to inproc:accept, SQLite synchronous=NORMAL, 64-byte payloads. Subscribers: in a child process, one HTTP/2 connection per 90 streams. Each case: {Warmup.TotalSeconds:N0} s warm-up, {Window.TotalSeconds:N0} s measured.");
        report.Line("CPU µs/message: CPU time in the measured window divided by the messages delivered, for the servers' process (server, and for Runtime the producer: " +
            "inputs, SQLite, delivery) and for the subscribers' process (reading and parsing every message), each Runtime / bare.");
        if (selection.Saturated)
        {
            await SaturatedAsync(report, selection, clients, target, baseline, inputs, feed);
        }

        if (selection.Paced)
        {
            await PacedAsync(report, selection, clients, target, baseline, inputs, feed);
            if (selection.Counts.Contains(SweepSubscribers))
            {
                await RateSweepAsync(report, clients, target, baseline, inputs, feed);
            }
        }

        if (selection.Stalled)
        {
            await FanOutStalled.RunAsync(report, clients, target, inputs, stream);
        }

        report.Line("");
        report.Line($"Load average at the end: {Machine.LoadAverage()}.");
        report.Line("");
        var wake = runtime.Services.GetRequiredService<IOptions<EventStreamOptions>>().Value;
        var perWatcher = wake.WakeDelayPerWatcher > TimeSpan.Zero
            ? $", plus {wake.WakeDelayPerWatcher.TotalMicroseconds:N0} µs per watcher up to {wake.MaxWakeDelay.TotalMilliseconds:N0} ms"
            : "";
        report.Line("How to read: servers and clients share the same two cores (and whatever else runs there), so only the ratios " +
            "within one run mean much. Saturated, both sides are bound by the clients parsing 256-event messages. Paced, the bare " +
            "server writes each tick to every stream; Runtime writes what each watcher finds after a wake: one wake serves " +
            "every watcher (they run one after another on the waking thread), and each run of consecutive events is composed once " +
            $"for all the watchers that send it; and the wake delay ({wake.WakeDelay.TotalMilliseconds:N0} ms{perWatcher}) groups the events published " +
            "meanwhile. Gaps: events a subscriber lost because the ring overwrote them first.");
        report.Line($"Inputs accepted in total: {inputs.Accepted:N0}; events published: {stream.LastSequence - stream.FirstSequence + 1:N0}; ring capacity {stream.GetStatistics().RingCapacity:N0}.");

        if (selection.Full)
        {
            Console.WriteLine($"wrote {report.Save(resultsDirectory)}");
        }

        await runtime.StopAsync();
        await bare.StopAsync();
        return 0;
    }

    private static async Task SaturatedAsync(
        Report report, FanOutSelection selection, FanOutClients clients, Target target, Target baseline, FanOutInputs inputs, FanOutBareFeed feed)
    {
        report.Line("");
        report.Line("## Saturated: inputs as fast as they commit, subscribers read as fast as they can");
        report.Line("");
        report.Line("| subscribers | events published/s | Runtime delivered events/s | events/message | gaps | bare delivered events/s (same shape) | Runtime / bare | server CPU µs/message Runtime / bare | subscribers' CPU µs/message Runtime / bare |");
        report.Line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var count in selection.Counts)
        {
            var measured = await MeasureAsync(clients, target, count, window => inputs.SaturateAsync(window));
            await feed.SaturateAsync(Math.Max(1, (int)Math.Round(measured.EventsPerMessage)));
            var bare = await MeasureAsync(clients, baseline, count, Task.Delay);
            report.Line(Row(
                count,
                Rate(measured.Published),
                Rate(measured.Delivered),
                measured.EventsPerMessage.ToString("N1", CultureInfo.InvariantCulture),
                measured.Gaps.ToString(CultureInfo.InvariantCulture),
                Rate(bare.Delivered),
                (measured.Delivered / bare.Delivered).ToString("P0", CultureInfo.InvariantCulture),
                Cpu(measured.ServerCpuPerMessage, bare.ServerCpuPerMessage),
                Cpu(measured.ClientCpuPerMessage, bare.ClientCpuPerMessage)));
        }
    }

    private static async Task PacedAsync(
        Report report, FanOutSelection selection, FanOutClients clients, Target target, Target baseline, FanOutInputs inputs, FanOutBareFeed feed)
    {
        report.Line("");
        report.Line($"## Paced: about {PacedInputsPerSecond} inputs/s (a batch every 10 ms); lag = receive time - event time");
        report.Line("");
        report.Line("The bare server is paced to Runtime's shape in the same case: as many messages a second to each subscriber, each of as many events.");
        report.Line("");
        report.Line("| subscribers | events published/s | watcher wakes/s | Runtime delivered events/s | events/message | Runtime lag p50 / p99 / max ms | gaps | bare delivered events/s | bare lag p50 / p99 / max ms | server CPU µs/message Runtime / bare | subscribers' CPU µs/message Runtime / bare |");
        report.Line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var count in selection.Counts)
        {
            report.Line(Row(count, await PacedCaseAsync(clients, target, baseline, inputs, feed, count, PacedInputsPerSecond)));
        }
    }

    /// <summary>
    /// 1,000 subscribers at lower event rates: where the machine (the bare stream) holds the lag goal, and where Runtime
    /// does. At 100 inputs/s both deliver about 900,000 events/s on 2 cores and fall behind together.
    /// </summary>
    private static async Task RateSweepAsync(
        Report report, FanOutClients clients, Target target, Target baseline, FanOutInputs inputs, FanOutBareFeed feed)
    {
        report.Line("");
        report.Line($"## Paced, {SweepSubscribers:N0} subscribers, lower input rates (the same measure as above)");
        report.Line("");
        report.Line("| inputs/s | events published/s | watcher wakes/s | Runtime delivered events/s | events/message | Runtime lag p50 / p99 / max ms | gaps | bare delivered events/s | bare lag p50 / p99 / max ms | server CPU µs/message Runtime / bare | subscribers' CPU µs/message Runtime / bare |");
        report.Line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var rate in SweepInputsPerSecond)
        {
            report.Line(Row(rate, await PacedCaseAsync(clients, target, baseline, inputs, feed, SweepSubscribers, rate)));
        }
    }

    /// <summary>One paced case, Runtime then the bare server paced to Runtime's shape; the row's cells after the first.</summary>
    private static async Task<string> PacedCaseAsync(
        FanOutClients clients, Target target, Target baseline, FanOutInputs inputs, FanOutBareFeed feed, int count, int inputsPerSecond)
    {
        var measured = await MeasureAsync(clients, target, count, window => inputs.PaceAsync(window, inputsPerSecond));
        // The same shapes: as many messages a second to each subscriber, each as many events.
        var perTick = Math.Max(1, (int)Math.Round(measured.EventsPerMessage));
        var messagesPerSecond = measured.Delivered / Math.Max(1, measured.EventsPerMessage) / count;
        var period = TimeSpan.FromSeconds(Math.Clamp(1 / Math.Max(messagesPerSecond, 1), 0.001, 1));
        await feed.PaceAsync(perTick, period);
        var bare = await MeasureAsync(clients, baseline, count, Task.Delay);
        return string.Join(" | ",
            Rate(measured.Published),
            Rate(measured.Wakes),
            Rate(measured.Delivered),
            measured.EventsPerMessage.ToString("N1", CultureInfo.InvariantCulture),
            Lag(measured.Lag),
            measured.Gaps.ToString(CultureInfo.InvariantCulture),
            Rate(bare.Delivered),
            Lag(bare.Lag),
            Cpu(measured.ServerCpuPerMessage, bare.ServerCpuPerMessage),
            Cpu(measured.ClientCpuPerMessage, bare.ClientCpuPerMessage));
    }

    private static async Task<Measurement> MeasureAsync(FanOutClients clients, Target target, int count, Func<TimeSpan, Task> load)
    {
        // The previous case's streams end asynchronously on the server: start from none.
        await UntilAsync(() => target.Attached() == 0, "the previous subscribers detached");
        await clients.OpenAsync(target.Address, count);
        try
        {
            await UntilAsync(() => target.Attached() == count, $"{count} subscribers attached");
            var running = load(Warmup + Window);
            await Task.Delay(Warmup);
            var measured = await Measurement.OverAsync(clients, target, Window);
            await running;
            return measured;
        }
        finally
        {
            await clients.CloseAsync();
        }
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds.</summary>
    internal static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>A markdown table row.</summary>
    internal static string Row(params object[] cells) => "| " + string.Join(" | ", cells) + " |";

    /// <summary>A rate, rounded.</summary>
    internal static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Lag percentiles as p50 / p99 / max.</summary>
    internal static string Lag(LagSummary lag) => lag.Count == 0
        ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{lag.P50:N1} / {lag.P99:N1} / {lag.Max:N1}");

    private static string Cpu(double runtime, double bare) =>
        string.Create(CultureInfo.InvariantCulture, $"{runtime:N1} / {bare:N1}");
}

/// <summary>A server under test: where it listens and how to read its counters.</summary>
internal sealed record Target(string Address, Func<int> Attached, Func<long>? Published, Func<long>? Wakes);

/// <summary>Lag percentiles in milliseconds over <paramref name="Count"/> events.</summary>
public sealed record LagSummary(double P50, double P99, double Max, long Count)
{
    public static LagSummary Of(HistogramBase lag) => lag.TotalCount == 0
        ? new LagSummary(0, 0, 0, 0)
        : new LagSummary(lag.GetValueAtPercentile(50) / 1000.0, lag.GetValueAtPercentile(99) / 1000.0, lag.GetMaxValue() / 1000.0, lag.TotalCount);
}

/// <summary>What the subscribers saw in one measured window, and each process's CPU per delivered message.</summary>
internal sealed record Measurement(
    double Delivered, double Published, double EventsPerMessage, long Gaps, LagSummary Lag, double Wakes,
    double ServerCpuPerMessage, double ClientCpuPerMessage)
{
    /// <summary>Measures the subscribers of <paramref name="clients"/> over the next <paramref name="window"/>.</summary>
    public static async Task<Measurement> OverAsync(FanOutClients clients, Target target, TimeSpan window)
    {
        await clients.ResetAsync();
        var before = await clients.SampleAsync();
        var (published0, wakes0, cpu0) = (target.Published?.Invoke() ?? 0, target.Wakes?.Invoke() ?? 0, Environment.CpuUsage.TotalTime);
        await Task.Delay(window);
        var after = await clients.SampleAsync();
        var (published1, wakes1, cpu1) = (target.Published?.Invoke() ?? 0, target.Wakes?.Invoke() ?? 0, Environment.CpuUsage.TotalTime);
        var seconds = window.TotalSeconds;
        var messages = after.Messages - before.Messages;
        var events = after.Events - before.Events;
        return new Measurement(
            events / seconds,
            (published1 - published0) / seconds,
            messages > 0 ? (double)events / messages : 0,
            after.Gaps - before.Gaps,
            after.Lag,
            (wakes1 - wakes0) / seconds,
            messages > 0 ? (cpu1 - cpu0).TotalMicroseconds / messages : 0,
            messages > 0 ? (after.Cpu - before.Cpu).TotalMicroseconds / messages : 0);
    }
}
