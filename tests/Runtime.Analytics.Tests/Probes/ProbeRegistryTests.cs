using Runtime.Analytics.Probes;
using Runtime.Core.Events;
using Runtime.Core.Inputs;

namespace Runtime.Analytics.Tests.Probes;

public sealed class ProbeRegistryTests
{
    [Fact]
    public async Task A_probe_switched_off_produces_no_events_in_the_stream_or_stats()
    {
        using var directory = new TempDirectory();
        await using var rig = new AnalyticsRig(directory.Path);
        var probes = new ProbeRegistry(rig.Stream, rig.Options);

        var state = probes.Set(EventCategory.InputLifecycle, enabled: false);
        var sequence = rig.Publish(Events.Input(0, "r", InputPhase.Accepted).Event);
        await rig.PublishAsync(Events.Run(0, "r", completed: false, TimeSpan.FromMilliseconds(1)).Event);

        Assert.False(state.Enabled);
        Assert.Equal(0, sequence);
        Assert.False(probes.List().Single(p => p.Category == EventCategory.InputLifecycle).Enabled);
        var stats = rig.Stats.GetSnapshot();
        Assert.Equal(0, stats.Totals.Accepted);
        Assert.Equal(1, stats.Totals.FailedAttempts);
        Assert.Equal(rig.Stream.FirstSequence, rig.Stream.LastSequence);

        probes.Set(EventCategory.InputLifecycle, enabled: true);
        await rig.PublishAsync(Events.Input(0, "r", InputPhase.Accepted).Event);
        Assert.Equal(1, rig.Stats.GetSnapshot().Totals.Accepted);
    }

    [Fact]
    public async Task Switches_survive_a_restart()
    {
        using var directory = new TempDirectory();
        await using (var first = new AnalyticsRig(directory.Path))
        {
            var probes = new ProbeRegistry(first.Stream, first.Options);
            probes.Set(EventCategory.Transport, enabled: false);
            probes.Set(EventCategory.Published, enabled: false);
            probes.Set(EventCategory.Published, enabled: true);
        }

        await using var second = new AnalyticsRig(directory.Path);
        var reopened = new ProbeRegistry(second.Stream, second.Options);

        Assert.False(second.Stream.IsEnabled(EventCategory.Transport));
        Assert.True(second.Stream.IsEnabled(EventCategory.Published));
        Assert.Equal(
            [EventCategory.Transport],
            reopened.List().Where(p => !p.Enabled).Select(p => p.Category));
        Assert.Equal(Enum.GetValues<EventCategory>().Length, reopened.List().Count);
        Assert.False(File.Exists(Path.Combine(directory.Path, ProbeRegistry.FileName + ".tmp")));
    }
}
