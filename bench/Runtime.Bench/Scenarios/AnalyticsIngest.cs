using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Runtime.Analytics;
using Runtime.Analytics.Filters;
using Runtime.Analytics.Pipeline;
using Runtime.Analytics.Recording;
using Runtime.Analytics.Stats;
using Runtime.Analytics.Trie;
using Runtime.Core.Delivery;
using Runtime.Core.Events;
using Runtime.Core.Inputs;
using Runtime.Observation.Events;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// Publishing into the event stream with analytics off (no consumer) versus on (pump, stats, trie and a running
/// Parquet recording), alternating rounds in one run. Reports events/s, the cost in percent (goal: at most 15 %),
/// and what the pump and the recorder lost.
/// </summary>
public static class AnalyticsIngest
{
    /// <summary>Runs the scenario: <c>analytics-ingest [events per round] [rounds]</c>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500_000;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var off = new List<double>();
        var on = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            off.Add(await RoundAsync(events, analytics: false));
            on.Add(await RoundAsync(events, analytics: true));
        }

        var medianOff = off.Order().ElementAt(rounds / 2);
        var medianOn = on.Order().ElementAt(rounds / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"analytics-ingest: off {medianOff:N0} events/s, on {medianOn:N0} events/s, cost {(1 - (medianOn / medianOff)) * 100:F1}% (goal <= 15%)"));
        return 0;
    }

    private static async Task<double> RoundAsync(int count, bool analytics)
    {
        var directory = Directory.CreateTempSubdirectory("runtime-bench-analytics-").FullName;
        try
        {
            using var stream = new EventStream(
                Options.Create(new EventStreamOptions { DataDirectory = directory }), TimeProvider.System);
            var options = Options.Create(new AnalyticsOptions { DataDirectory = directory });
            await using var recorder = new ParquetRecorder(options, TimeProvider.System);
            var stats = new StatsEngine(Options.Create(new StatsOptions()), TimeProvider.System);
            var pump = new AnalyticsPump(stream, new ServerFilter(TimeProvider.System), [stats, new GroupingTrie(TimeProvider.System), recorder]);
            using var stop = new CancellationTokenSource();
            var pumping = analytics ? pump.RunAsync(stop.Token) : Task.CompletedTask;
            if (analytics)
            {
                await recorder.StartAsync("bench");
            }

            var template = new RuntimeEvent
            {
                Kind = RuntimeEventKind.InputTransitioned,
                Time = DateTimeOffset.UtcNow,
                ToPhase = InputPhase.Consumed,
                PayloadType = PayloadType.RpcReliable,
                Bytes = 256,
                Latency = TimeSpan.FromMilliseconds(3),
            };
            var prepared = Enumerable.Range(0, 1_000).Select(i => template with { RuntimeId = $"runtime-{i % 100}", InputId = $"input-{i}" }).ToArray();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                stream.Publish(prepared[i % prepared.Length]);
            }

            watch.Stop();
            if (analytics)
            {
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await pump.WhenProcessedAsync(stream.LastSequence, patience.Token);
                var status = await recorder.StopAsync();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  on: pump lost {pump.EventsLost:N0}, counted {stats.GetSnapshot().Totals.Consumed:N0}, recorded {status.RowsWritten:N0}, dropped {status.RowsDropped:N0}"));
                await stop.CancelAsync();
                await pumping;
            }

            return count / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
