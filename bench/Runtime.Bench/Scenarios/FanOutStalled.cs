using System.Globalization;
using Runtime.Bench.Harness;
using Runtime.Observation.Events;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// Does one stalled subscriber change the others' lag? The same 100 paced subscribers stay connected throughout; short
/// windows without and with one extra subscriber that never reads alternate in many pairs (order alternating), so
/// both conditions are spread evenly over the background load. Two answers: the others' p99 over all windows of each
/// condition pooled, and the median of the per-pair changes with its spread. The stalled subscriber resumes far enough
/// back that its backlog (megabytes) dwarfs its HTTP/2 stream window and the server's response buffer: the server holds
/// its writes back from before the window opens; after the window it is read to the end to show what was held back.
/// </summary>
internal static class FanOutStalled
{
    private const int Others = 100;
    private const int Pairs = 24;
    private const int PairsPerBlock = 6;
    private const int Backlog = 20_000;
    private const int PacedInputsPerSecond = 100;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>Runs the pairs and adds their table and summary to <paramref name="report"/>.</summary>
    public static async Task RunAsync(Report report, FanOutClients clients, Target target, FanOutInputs inputs, EventStream stream)
    {
        // The backlog must be in the ring (a run of just this part starts with an empty one).
        for (var i = 0; i < 10 && stream.LastSequence - stream.GetStatistics().OldestSequence < Backlog; i++)
        {
            await inputs.SaturateAsync(TimeSpan.FromSeconds(1));
        }

        report.Line("");
        report.Line($"## One stalled subscriber (on a shared connection, never reads), paced, {Others} others");
        report.Line("");
        report.Line($"The same {Others} subscribers stay connected; {Pairs} pairs of {Window.TotalSeconds:N0} s windows without and with one stalled " +
            $"subscriber (order alternating), each after {Settle.TotalMilliseconds:N0} ms of settling. The stalled one resumes {Backlog:N0} events back " +
            "(megabytes, against a 64 KiB HTTP/2 stream window and Kestrel's response buffer), so the server holds its writes back for the whole " +
            "window; after the window it is read to the end: the events and bytes it had been held back, and the gaps (resyncs) the server sent it.");
        report.Line("");
        report.Line($"| pair | the {Others}' delivered events/s without / with | lag p50 / p99 / max ms without | lag p50 / p99 / max ms with | p99 change | stalled: held back events / MiB, gaps |");
        report.Line("|---|---:|---:|---:|---:|---:|");

        await FanOut.UntilAsync(() => target.Attached() == 0, "the previous subscribers detached");
        await clients.OpenAsync(target.Address, Others);
        await FanOut.UntilAsync(() => target.Attached() == Others, $"{Others} subscribers attached");
        using var stop = new CancellationTokenSource();
        var pacing = inputs.PaceAsync(TimeSpan.FromMinutes(5), PacedInputsPerSecond, stop.Token);
        await Task.Delay(Warmup);

        var changes = new List<double>();
        var (heldBackEvents, heldBackBytes, stalledGaps) = (new List<long>(), new List<long>(), 0L);
        for (var pair = 1; pair <= Pairs; pair++)
        {
            Measurement? without = null, with = null;
            var windowGaps = 0L;
            foreach (var stalled in pair % 2 == 1 ? new[] { false, true } : [true, false])
            {
                if (!stalled)
                {
                    await Task.Delay(Settle);
                    without = await Measurement.OverAsync(clients, target, Window);
                    await clients.PoolAsync("without");
                    await clients.PoolAsync($"without-{Block(pair)}");
                    continue;
                }

                await clients.StallAsync(stream.LastSequence - Backlog);
                await FanOut.UntilAsync(() => target.Attached() == Others + 1, "the stalled subscriber attached");
                await Task.Delay(Settle);
                with = await Measurement.OverAsync(clients, target, Window);
                await clients.PoolAsync("with");
                await clients.PoolAsync($"with-{Block(pair)}");
                var (_, events, bytes, gaps) = await clients.DrainAsync(stream.LastSequence);
                heldBackEvents.Add(events);
                heldBackBytes.Add(bytes);
                (windowGaps, stalledGaps) = (gaps, stalledGaps + gaps);
                await FanOut.UntilAsync(() => target.Attached() == Others, "the stalled subscriber detached");
            }

            changes.Add((with!.Lag.P99 / without!.Lag.P99) - 1);
            report.Line(FanOut.Row(
                pair,
                $"{FanOut.Rate(without.Delivered)} / {FanOut.Rate(with.Delivered)}",
                FanOut.Lag(without.Lag),
                FanOut.Lag(with.Lag),
                Percent(changes[^1]),
                string.Create(CultureInfo.InvariantCulture, $"{heldBackEvents[^1]:N0} / {heldBackBytes[^1] / 1048576.0:N1}, {windowGaps:N0}")));
        }

        await stop.CancelAsync();
        await pacing;
        var (pooledWithout, pooledWith) = (await clients.PooledAsync("without"), await clients.PooledAsync("with"));
        var blocks = new List<double>();
        for (var block = 1; block <= Block(Pairs); block++)
        {
            blocks.Add(((await clients.PooledAsync($"with-{block}")).P99 / (await clients.PooledAsync($"without-{block}")).P99) - 1);
        }

        await clients.CloseAsync();
        var sorted = changes.Order().ToArray();
        report.Line("");
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"The {Others} others over all {Pairs} windows of each condition pooled: p99 without {pooledWithout.P99:N1} ms, with one stalled " +
            $"{pooledWith.P99:N1} ms: {Percent((pooledWith.P99 / pooledWithout.P99) - 1)} (p50 {pooledWithout.P50:N1} → {pooledWith.P50:N1} ms); " +
            $"pooled by blocks of {PairsPerBlock} pairs, in run order: {string.Join(", ", blocks.Select(Percent))}."));
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"Per-pair p99 change: median {Percent(Quantiles.OfSorted(sorted, 0.5))} (middle half {Percent(Quantiles.OfSorted(sorted, 0.25))} … " +
            $"{Percent(Quantiles.OfSorted(sorted, 0.75))}, all {Percent(sorted[0])} … {Percent(sorted[^1])}). Goal: < 10 %."));
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"The stalled subscriber, every 'with' window: held back {heldBackEvents.Min():N0} … {heldBackEvents.Max():N0} events " +
            $"({heldBackBytes.Min() / 1048576.0:N1} … {heldBackBytes.Max() / 1048576.0:N1} MiB) by the time it was read; gaps (resyncs) in total: {stalledGaps:N0}."));
    }

    private static int Block(int pair) => ((pair - 1) / PairsPerBlock) + 1;

    private static string Percent(double change) => change.ToString("+0%;-0%;0%", CultureInfo.InvariantCulture);
}
