using Microsoft.Extensions.Time.Testing;
using Runtime.Observation.Observers;
using Runtime.Observation.Subscriptions;
using Runtime.Observation.Tests.Support;

namespace Runtime.Observation.Tests.Observers;

public sealed class CycleNumberingTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Cycles_continue_across_a_clean_restart()
    {
        long last;
        using (var numbering = CycleNumbering.Persisted(_directory.Path))
        {
            Assert.Equal(0, numbering.FirstCycle);
            await using var runner = await StartAsync(numbering);
            await Drive.CycleAsync(_time, runner);
            await Drive.CycleAsync(_time, runner);
            last = runner.CurrentCycle;
            Assert.Equal(2, last);
        }

        using var reopened = CycleNumbering.Persisted(_directory.Path);
        await using var restarted = await StartAsync(reopened);

        Assert.Equal(last + 1, reopened.FirstCycle);
        Assert.Equal(last + 1, restarted.GetSnapshot().Cycle);
        Assert.Equal(last + 1, restarted.GetStatus().FirstCycle);
    }

    [Fact]
    public async Task A_crash_skips_ahead_and_never_reuses_a_cycle()
    {
        // Not disposed: the process "crashed" with only its reservation on disk.
        var crashed = CycleNumbering.Persisted(_directory.Path);
        var runner = await StartAsync(crashed);
        await Drive.CycleAsync(_time, runner);
        await runner.StopAsync();

        using var reopened = CycleNumbering.Persisted(_directory.Path);

        Assert.True(reopened.FirstCycle > runner.CurrentCycle);
    }

    [Fact]
    public async Task Resuming_after_a_cycle_of_an_earlier_run_gets_a_restart_gap_and_a_snapshot()
    {
        using (var numbering = CycleNumbering.Persisted(_directory.Path))
        {
            await using var runner = await StartAsync(numbering);
            for (var i = 0; i < 5; i++)
            {
                await Drive.CycleAsync(_time, runner);
            }
        }

        using var reopened = CycleNumbering.Persisted(_directory.Path);
        var observer = new ScriptedObserver();
        var restarted = ObserverRunner.Create(
            "scripted", observer, observer, new ObserverSettings(TimeSpan.FromSeconds(1), 8), _time, numbering: reopened);
        await using var engine = new ObservationEngine([restarted], Microsoft.Extensions.Options.Options.Create(new ObservationOptions()), _time);

        await engine.StartAsync(CancellationToken.None);

        // The client saw cycle 4 before the restart; this run starts at 6, and cycle 7 makes a batch.
        observer.EmitFor("rt-1");
        await Drive.CycleAsync(_time, restarted);
        await using var stream = engine.Subscribe(new SubscriptionRequest { AfterCycle = 4 }).GetAsyncEnumerator();

        var gap = Assert.IsType<ObservationGap>(await Bounded.Next(stream));
        Assert.Equal(ObservationGapReason.Restarted, gap.Reason);
        Assert.Equal(5, gap.FromCycle);
        var snapshot = Assert.IsType<ObservationSnapshot>(await Bounded.Next(stream));
        Assert.Equal(7, snapshot.Cycle);
        Assert.Equal(snapshot.Cycle, gap.ResumeAt);

        var history = restarted.GetHistory(afterCycle: 4, maxBatches: 8);
        Assert.Equal(ObservationGapReason.Restarted, history.Gap?.Reason);
        Assert.Equal(7, Assert.Single(history.Batches).Cycle);
    }

    private async Task<ObserverRunner> StartAsync(CycleNumbering numbering)
    {
        var observer = new ScriptedObserver();
        var runner = ObserverRunner.Create(
            "scripted", observer, observer, new ObserverSettings(TimeSpan.FromSeconds(1), 8), _time, numbering: numbering);
        await runner.StartAsync(CancellationToken.None);
        return runner;
    }
}
