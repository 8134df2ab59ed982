using Runtime.Core.Events;
using Microsoft.Extensions.Options;
using Runtime.Analytics.Filters;
using Runtime.Analytics.Pipeline;
using Runtime.Analytics.Stats;
using Runtime.Analytics.Trie;
using Runtime.Core.Inputs;
using Runtime.Observation.Events;

namespace Runtime.Analytics.Tests.Pipeline;

public sealed class AnalyticsPumpTests
{
    [Fact]
    public async Task A_pausing_pump_feeds_every_passing_event_in_batches_and_loses_none()
    {
        using var directory = new TempDirectory();
        var log = new MemoryEventLog();
        using var stream = new EventStream(Options.Create(new EventStreamOptions()), TimeProvider.System, log);
        var filter = new ServerFilter(TimeProvider.System);
        filter.Set("runtime ^= \"keep-\"");
        var stats = new StatsEngine(Options.Create(new StatsOptions()), TimeProvider.System);
        var trie = new GroupingTrie(TimeProvider.System);
        var pump = new AnalyticsPump(stream, filter, [stats, trie], pause: TimeSpan.FromMilliseconds(20));
        using var stop = new CancellationTokenSource();
        var pumping = pump.RunAsync(stop.Token);

        for (var i = 0; i < 3_000; i++)
        {
            log.Publish(Events.Input(0, i % 3 == 0 ? $"drop-{i}" : $"keep-{i % 10}", InputPhase.Accepted).Event);
        }

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await pump.WhenProcessedAsync(stream.LastSequence, patience.Token);
        await stop.CancelAsync();
        await pumping.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2_000, stats.GetSnapshot().Totals.Accepted);
        Assert.Equal(2_000, trie.GetSnapshot().Root.Count);
        Assert.Equal(1, stats.GetSnapshot().FilterEpoch);
        Assert.Equal(0, pump.EventsLost);
    }
}
