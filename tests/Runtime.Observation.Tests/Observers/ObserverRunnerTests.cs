using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Runtime.Core.Errors;
using Runtime.Observation.Observers;
using Runtime.Observation.Tests.Support;

namespace Runtime.Observation.Tests.Observers;

public sealed class ObserverRunnerTests
{
    [Fact]
    public async Task A_zero_interval_is_refused_at_start_with_a_clear_error()
    {
        var observer = new ScriptedObserver();
        await using var runner = ObserverRunner.Create(
            "scripted", observer, observer, new ObserverSettings(TimeSpan.Zero, 4), new FakeTimeProvider());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => runner.StartAsync(CancellationToken.None));

        Assert.Contains("Interval must be greater than zero", error.Message, StringComparison.Ordinal);
        Assert.Equal(-1, runner.CurrentCycle);
    }

    [Fact]
    public void Options_validation_names_the_observer_with_a_zero_interval()
    {
        var options = new ObservationOptions { Observers = { ["runtimes"] = new ObserverOptions { Interval = TimeSpan.Zero } } };

        var result = new ObservationOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Runtime:Observation:Observers:runtimes:Interval", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cycle_zero_is_the_initial_snapshot_and_only_non_empty_cycles_make_batches()
    {
        await using var fixture = await ObserverFixture.StartAsync();

        var initial = fixture.Runner.GetSnapshot();
        Assert.Equal(0, initial.Cycle);
        Assert.Equal(2, initial.SourceCount);
        var content = Assert.IsType<CounterSnapshot>(initial.Content);
        Assert.Equal(0, content.Polls);
        Assert.Empty(content.Runtimes);

        await fixture.CycleAsync();
        await fixture.EmitCycleAsync("rt-1");
        await fixture.CycleAsync();

        var snapshot = fixture.Runner.GetSnapshot();
        Assert.Equal(3, snapshot.Cycle);
        Assert.Equal(3, ((CounterSnapshot)snapshot.Content).Polls);
        var history = fixture.Runner.GetHistory(afterCycle: 0, maxBatches: 10);
        var batch = Assert.Single(history.Batches);
        Assert.Equal(2, batch.Cycle);
        Assert.Equal("rt-1", Assert.Single(batch.Events).RuntimeId);
        Assert.Null(history.Gap);
    }

    [Fact]
    public async Task History_keeps_the_last_limit_batches_and_reports_what_was_trimmed()
    {
        await using var fixture = await ObserverFixture.StartAsync(historyLimit: 3);

        for (var i = 0; i < 5; i++)
        {
            await fixture.EmitCycleAsync();
        }

        var status = fixture.Runner.GetStatus();
        Assert.Equal(3, status.HistoryCount);
        Assert.Equal(3, status.OldestHistoryCycle);
        Assert.Equal(5, status.LastBatchCycle);

        var fromStart = fixture.Runner.GetHistory(afterCycle: 0, maxBatches: 10);
        Assert.Equal([3L, 4L, 5L], fromStart.Batches.Select(b => b.Cycle));
        Assert.NotNull(fromStart.Gap);
        Assert.Equal((1L, 2L), (fromStart.Gap.FromCycle, fromStart.Gap.ToCycle));

        var covered = fixture.Runner.GetHistory(afterCycle: 3, maxBatches: 10);
        Assert.Equal([4L, 5L], covered.Batches.Select(b => b.Cycle));
        Assert.Null(covered.Gap);
    }

    [Fact]
    public async Task A_failed_source_refresh_is_recorded_keeps_the_last_snapshot_and_clears_on_success()
    {
        await using var fixture = await ObserverFixture.StartAsync();
        await fixture.CycleAsync();

        fixture.Observer.FailSources = "catalog offline";
        await fixture.CycleAsync();

        var status = fixture.Runner.GetStatus();
        Assert.Equal(2, status.CurrentCycle);
        Assert.Equal(1, status.SnapshotCycle);
        var failure = Assert.IsType<ObservationFailure>(status.LastFailure);
        Assert.Equal(2, failure.Cycle);
        Assert.Equal(ObservationFailureStage.SourceRefresh, failure.Stage);
        Assert.Equal(0, failure.SourceCount);
        Assert.Equal("catalog offline", failure.Message);
        Assert.Equal(fixture.Time.GetUtcNow(), failure.Time);
        Assert.Equal(1, fixture.Runner.GetSnapshot().Cycle);

        fixture.Observer.FailSources = null;
        await fixture.CycleAsync();

        status = fixture.Runner.GetStatus();
        Assert.Null(status.LastFailure);
        Assert.Equal(3, status.SnapshotCycle);
    }

    [Fact]
    public async Task A_failed_poll_records_the_poll_stage_and_the_source_count()
    {
        await using var fixture = await ObserverFixture.StartAsync();
        fixture.Observer.Sources = ["a", "b", "c"];
        fixture.Observer.FailPoll = "boom";

        await fixture.CycleAsync();

        var failure = Assert.IsType<ObservationFailure>(fixture.Runner.GetStatus().LastFailure);
        Assert.Equal(ObservationFailureStage.Poll, failure.Stage);
        Assert.Equal(3, failure.SourceCount);
        Assert.Equal(0, fixture.Runner.GetSnapshot().Cycle);
    }

    [Fact]
    public async Task A_failing_initial_snapshot_fails_the_start()
    {
        var observer = new ScriptedObserver { FailSources = "no catalog" };
        await using var runner = ObserverRunner.Create(
            "scripted", observer, observer, new ObserverSettings(TimeSpan.FromSeconds(1), 4), new FakeTimeProvider());

        var error = await Assert.ThrowsAsync<RuntimeException>(() => runner.StartAsync(CancellationToken.None));

        Assert.Equal("OBSERVER_START_FAILED", error.Reason);
        Assert.Equal("SourceRefresh", error.Metadata["stage"]);
    }

    [Fact]
    public async Task Missed_ticks_are_delayed_not_bunched()
    {
        await using var fixture = await ObserverFixture.StartAsync();
        var start = fixture.Time.GetUtcNow();

        // Five intervals pass at once (a stalled process): one cycle runs, late, not five.
        fixture.Time.Advance(ObserverFixture.Interval * 5);
        await Bounded.Wait(fixture.Runner.WhenCycleAsync(1));
        Assert.Equal(start + (ObserverFixture.Interval * 5), fixture.Runner.GetSnapshot().Time);

        // The next cycle is one interval after the late one.
        fixture.Time.Advance(ObserverFixture.Interval);
        await Bounded.Wait(fixture.Runner.WhenCycleAsync(2));
        var second = fixture.Runner.GetSnapshot();
        Assert.Equal(2, second.Cycle);
        Assert.Equal(start + (ObserverFixture.Interval * 6), second.Time);
    }

    [Fact]
    public async Task Status_lists_interval_history_limit_cycle_and_failure()
    {
        await using var fixture = await ObserverFixture.StartAsync(historyLimit: 5);
        await fixture.EmitCycleAsync();

        var status = Assert.Single(fixture.Engine.ListObservers());

        Assert.Equal("scripted", status.Name);
        Assert.Equal(ObserverFixture.Interval, status.Interval);
        Assert.Equal(5, status.HistoryLimit);
        Assert.Equal(1, status.CurrentCycle);
        Assert.Null(status.LastFailure);
    }

    [Fact]
    public async Task Unknown_observers_are_not_found()
    {
        await using var fixture = await ObserverFixture.StartAsync();

        var error = Assert.Throws<RuntimeException>(() => fixture.Engine.GetSnapshot("nope"));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Equal("OBSERVER_NOT_FOUND", error.Reason);
        Assert.Equal("nope", error.Metadata["observer"]);
    }
}
