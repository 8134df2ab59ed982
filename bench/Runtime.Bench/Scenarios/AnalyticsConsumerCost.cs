using System.Diagnostics;
using Microsoft.Extensions.Options;
using Runtime.Analytics;
using Runtime.Analytics.Filters;
using Runtime.Analytics.Pipeline;
using Runtime.Analytics.Recording;
using Runtime.Analytics.Stats;
using Runtime.Analytics.Trie;
using Runtime.Core.Events;
using Runtime.Core.Inputs;
using Runtime.Observation.Events;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// The CPU each analytics stage spends per event, measured alone on an event mix like the ingest scenario's (input
/// transitions and runs over 16 runtimes), fed in the pump's batches: says where the analytics cost goes.
/// </summary>
internal static class AnalyticsConsumerCost
{
    private const int Events = 200_000;
    private const int BatchSize = 256;

    /// <summary>Nanoseconds of process CPU per event for the filter, stats, trie and recording.</summary>
    public static async Task<IReadOnlyList<(string Stage, double NanosPerEvent)>> MeasureAsync(string filterText, string dataDirectory)
    {
        var events = Mix();
        var filter = FilterExpression.Parse(filterText);
        var stats = new StatsEngine(Options.Create(new StatsOptions()), TimeProvider.System);
        var trie = new GroupingTrie(TimeProvider.System);
        trie.Configure(TrieConfiguration.Parse(["runtime", "kind", "phase"], TrieWeight.Count));
        var results = new List<(string, double)>
        {
            ("filter", Cpu(() =>
            {
                var passed = 0;
                foreach (var e in events)
                {
                    passed += filter.Matches(e) ? 1 : 0;
                }

                GC.KeepAlive(passed);
            })),
            ("stats", Cpu(() => Feed(stats, events))),
            ("trie", Cpu(() => Feed(trie, events))),
        };

        await using var recorder = new ParquetRecorder(Options.Create(new AnalyticsOptions { DataDirectory = dataDirectory, RecordingQueueCapacity = Events }), TimeProvider.System);
        await recorder.StartAsync("consumer-cost");
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        Feed(recorder, events);
        await recorder.StopAsync();
        results.Add(("recording", (Process.GetCurrentProcess().TotalProcessorTime - before).TotalNanoseconds / Events));
        return results;
    }

    private static void Feed(IAnalyticsConsumer consumer, StreamedEvent[] events)
    {
        for (var start = 0; start < events.Length; start += BatchSize)
        {
            consumer.Observe(events.AsSpan(start, Math.Min(BatchSize, events.Length - start)), 1);
        }
    }

    private static double Cpu(Action action)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        action();
        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalNanoseconds / Events;
    }

    private static StreamedEvent[] Mix()
    {
        var now = DateTimeOffset.UtcNow;
        InputPhase[] phases = [InputPhase.Accepted, InputPhase.Queued, InputPhase.Staged, InputPhase.Applied, InputPhase.Consumed];
        var events = new StreamedEvent[Events];
        for (var i = 0; i < events.Length; i++)
        {
            var step = i % 7;
            var runtime = $"bench-{(i / 7) % 16}";
            var e = step < phases.Length
                ? new RuntimeEvent
                {
                    Kind = RuntimeEventKind.InputTransitioned, Time = now, RuntimeId = runtime, InputId = $"input-{i / 7}",
                    ToPhase = phases[step], Destination = "inproc:accept", Bytes = 256,
                    Latency = phases[step] == InputPhase.Consumed ? TimeSpan.FromMilliseconds(3) : null,
                }
                : new RuntimeEvent
                {
                    Kind = step == 5 ? RuntimeEventKind.RunStarted : RuntimeEventKind.RunCompleted, Time = now, RuntimeId = runtime,
                    RunId = $"run-{i / 7}", Destination = "inproc:accept", Latency = step == 6 ? TimeSpan.FromMilliseconds(1) : null,
                };
            events[i] = new StreamedEvent(i + 1, e);
        }

        return events;
    }
}
