using Runtime.Observation.Filtering;
using Runtime.Observation.Observers;
using Runtime.Observation.Subscriptions;
using Runtime.Observation.Tests.Support;

namespace Runtime.Observation.Tests.Subscriptions;

public sealed class SubscriptionTests
{
    [Fact]
    public async Task The_snapshot_comes_first_then_the_batches_of_non_empty_cycles()
    {
        await using var fixture = await ObserverFixture.StartAsync();
        await using var stream = fixture.Engine.Subscribe(new SubscriptionRequest { IncludeSnapshot = true }).GetAsyncEnumerator();

        var snapshot = Assert.IsType<ObservationSnapshot>(await Bounded.Next(stream));
        Assert.Equal(0, snapshot.Cycle);

        await fixture.CycleAsync();
        await fixture.EmitCycleAsync("rt-1");

        var batch = Assert.IsType<ObservationBatch>(await Bounded.Next(stream));
        Assert.Equal(2, batch.Cycle);
        Assert.Equal("scripted", batch.Observer);
    }

    [Fact]
    public async Task Subscribers_hear_when_a_failure_streak_starts_not_every_failed_cycle()
    {
        await using var fixture = await ObserverFixture.StartAsync();
        await using var stream = fixture.Engine.Subscribe(new SubscriptionRequest()).GetAsyncEnumerator();
        var pending = stream.MoveNextAsync();

        fixture.Observer.FailPoll = "boom";
        await fixture.CycleAsync();
        await fixture.CycleAsync();
        fixture.Observer.FailPoll = null;
        await fixture.EmitCycleAsync();

        Assert.True(await pending.AsTask().WaitAsync(Bounded.Timeout));
        var failed = Assert.IsType<ObserverFailed>(stream.Current);
        Assert.Equal((1L, ObservationFailureStage.Poll, "boom"), (failed.Failure.Cycle, failed.Failure.Stage, failed.Failure.Message));
        Assert.Equal(3, Assert.IsType<ObservationBatch>(await Bounded.Next(stream)).Cycle);
    }

    [Fact]
    public async Task Resuming_after_the_last_seen_cycle_loses_nothing_and_repeats_nothing()
    {
        await using var fixture = await ObserverFixture.StartAsync(historyLimit: 16);
        long lastSeen;
        using (var first = new CancellationTokenSource())
        {
            await using var stream = fixture.Engine.Subscribe(new SubscriptionRequest(), first.Token).GetAsyncEnumerator();
            var pending = stream.MoveNextAsync();
            await fixture.EmitCycleAsync();
            Assert.True(await pending.AsTask().WaitAsync(Bounded.Timeout));
            await fixture.EmitCycleAsync();
            lastSeen = Assert.IsType<ObservationBatch>(await Bounded.Next(stream)).Cycle;
            Assert.Equal(2, lastSeen);
            await first.CancelAsync();
        }

        // Disconnected while three more cycles ran (one of them empty).
        await fixture.EmitCycleAsync();
        await fixture.CycleAsync();
        await fixture.EmitCycleAsync();

        await using var resumed = fixture.Engine
            .Subscribe(new SubscriptionRequest { AfterCycle = lastSeen, IncludeSnapshot = true })
            .GetAsyncEnumerator();
        Assert.Equal(3, Assert.IsType<ObservationBatch>(await Bounded.Next(resumed)).Cycle);
        Assert.Equal(5, Assert.IsType<ObservationBatch>(await Bounded.Next(resumed)).Cycle);

        await fixture.EmitCycleAsync();
        Assert.Equal(6, Assert.IsType<ObservationBatch>(await Bounded.Next(resumed)).Cycle);
    }

    [Fact]
    public async Task Resuming_after_a_trimmed_cycle_gets_a_gap_then_a_fresh_snapshot()
    {
        await using var fixture = await ObserverFixture.StartAsync(historyLimit: 2);
        for (var i = 0; i < 5; i++)
        {
            await fixture.EmitCycleAsync();
        }

        await using var stream = fixture.Engine.Subscribe(new SubscriptionRequest { AfterCycle = 1 }).GetAsyncEnumerator();

        var gap = Assert.IsType<ObservationGap>(await Bounded.Next(stream));
        Assert.Equal((2L, 3L, ObservationGapReason.Trimmed), (gap.FromCycle, gap.ToCycle, gap.Reason));
        var snapshot = Assert.IsType<ObservationSnapshot>(await Bounded.Next(stream));
        Assert.Equal(5, snapshot.Cycle);

        await fixture.EmitCycleAsync();
        Assert.Equal(6, Assert.IsType<ObservationBatch>(await Bounded.Next(stream)).Cycle);
        Assert.Equal(1, fixture.Engine.GetSubscriptionStatistics().TotalGaps);
    }

    [Fact]
    public async Task Resuming_after_a_cycle_the_observer_never_reached_gets_a_gap_and_snapshot()
    {
        await using var fixture = await ObserverFixture.StartAsync();
        await fixture.EmitCycleAsync();

        await using var stream = fixture.Engine.Subscribe(new SubscriptionRequest { AfterCycle = 500 }).GetAsyncEnumerator();

        var gap = Assert.IsType<ObservationGap>(await Bounded.Next(stream));
        Assert.Equal(ObservationGapReason.UnknownCycle, gap.Reason);
        Assert.Equal(1, Assert.IsType<ObservationSnapshot>(await Bounded.Next(stream)).Cycle);
    }

    [Fact]
    public async Task A_subscriber_that_never_reads_does_not_delay_others_and_its_resync_is_counted()
    {
        await using var fixture = await ObserverFixture.StartAsync(historyLimit: 3, bufferSize: 4);
        await using var stalled = fixture.Engine.Subscribe(new SubscriptionRequest { IncludeSnapshot = true }).GetAsyncEnumerator();
        await using var reader = fixture.Engine.Subscribe(new SubscriptionRequest { IncludeSnapshot = true }).GetAsyncEnumerator();
        Assert.IsType<ObservationSnapshot>(await Bounded.Next(stalled));
        Assert.IsType<ObservationSnapshot>(await Bounded.Next(reader));

        for (var cycle = 1; cycle <= 10; cycle++)
        {
            await fixture.EmitCycleAsync();
            Assert.Equal(cycle, Assert.IsType<ObservationBatch>(await Bounded.Next(reader)).Cycle);
        }

        var stats = fixture.Engine.GetSubscriptionStatistics();
        var stalledStats = stats.Subscriptions.Single(s => s.Id == 1);
        var readerStats = stats.Subscriptions.Single(s => s.Id == 2);
        Assert.Equal(11, readerStats.Delivered);
        Assert.Equal(0, readerStats.LagCycles);
        Assert.Equal(0, readerStats.Dropped);
        Assert.Equal(4, stalledStats.Buffered);
        Assert.Equal(6, stalledStats.Dropped);
        Assert.Equal(1, stalledStats.Overflows);
        Assert.Equal(10, stalledStats.LagCycles);

        // When it reads again: what it had buffered, then a gap (the rest left history) and a fresh snapshot.
        for (var cycle = 1; cycle <= 4; cycle++)
        {
            Assert.Equal(cycle, Assert.IsType<ObservationBatch>(await Bounded.Next(stalled)).Cycle);
        }

        var gap = Assert.IsType<ObservationGap>(await Bounded.Next(stalled));
        Assert.Equal((5L, 7L, ObservationGapReason.FellBehind), (gap.FromCycle, gap.ToCycle, gap.Reason));
        Assert.Equal(10, Assert.IsType<ObservationSnapshot>(await Bounded.Next(stalled)).Cycle);

        await fixture.EmitCycleAsync();
        Assert.Equal(11, Assert.IsType<ObservationBatch>(await Bounded.Next(stalled)).Cycle);
        stats = fixture.Engine.GetSubscriptionStatistics();
        Assert.Equal(1, stats.Subscriptions.Single(s => s.Id == 1).Resyncs);
        Assert.Equal(1, stats.TotalResyncs);
        Assert.Equal(6, stats.TotalDropped);
    }

    [Fact]
    public async Task A_subscriber_that_fell_behind_within_history_catches_up_without_a_gap()
    {
        await using var fixture = await ObserverFixture.StartAsync(historyLimit: 16, bufferSize: 2);
        await using var slow = fixture.Engine.Subscribe(new SubscriptionRequest { IncludeSnapshot = true }).GetAsyncEnumerator();
        Assert.IsType<ObservationSnapshot>(await Bounded.Next(slow));

        for (var cycle = 1; cycle <= 6; cycle++)
        {
            await fixture.EmitCycleAsync();
        }

        var cycles = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            cycles.Add(Assert.IsType<ObservationBatch>(await Bounded.Next(slow)).Cycle);
        }

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], cycles);
        var stats = Assert.Single(fixture.Engine.GetSubscriptionStatistics().Subscriptions);
        Assert.Equal(1, stats.Resyncs);
        Assert.Equal(0, stats.Gaps);
    }

    [Fact]
    public async Task Unfiltered_subscribers_share_one_batch_so_it_is_encoded_once()
    {
        await using var fixture = await ObserverFixture.StartAsync();
        await using var one = fixture.Engine.Subscribe(new SubscriptionRequest()).GetAsyncEnumerator();
        await using var two = fixture.Engine.Subscribe(new SubscriptionRequest()).GetAsyncEnumerator();
        var first = one.MoveNextAsync();
        var second = two.MoveNextAsync();

        await fixture.EmitCycleAsync();
        Assert.True(await first.AsTask().WaitAsync(Bounded.Timeout));
        Assert.True(await second.AsTask().WaitAsync(Bounded.Timeout));

        var encodings = 0;
        var a = one.Current.GetOrAddEncoded(() => { encodings++; return new byte[] { 1 }; });
        var b = two.Current.GetOrAddEncoded(() => { encodings++; return new byte[] { 2 }; });
        Assert.Same(a, b);
        Assert.Equal(1, encodings);
    }

    [Fact]
    public async Task The_filter_selects_events_by_runtime_id_prefix_and_label()
    {
        await using var fixture = await ObserverFixture.StartAsync();
        var labels = new Dictionary<string, string> { ["env"] = "prod" };
        var filter = new RuntimeFilter("orders-", labels);
        await using var stream = fixture.Engine.Subscribe(new SubscriptionRequest { Filter = filter }).GetAsyncEnumerator();
        var pending = stream.MoveNextAsync();

        fixture.Observer.Emit(new TestEvent("other") { RuntimeId = "billing-1", Labels = labels });
        await fixture.CycleAsync();
        fixture.Observer.Emit(
            new TestEvent("wrong-env") { RuntimeId = "orders-1", Labels = new Dictionary<string, string> { ["env"] = "dev" } },
            new TestEvent("match") { RuntimeId = "orders-2", Labels = labels });
        await fixture.CycleAsync();

        Assert.True(await pending.AsTask().WaitAsync(Bounded.Timeout));
        var batch = Assert.IsType<ObservationBatch>(stream.Current);
        Assert.Equal(2, batch.Cycle);
        Assert.Equal("match", Assert.IsType<TestEvent>(Assert.Single(batch.Events)).Name);
    }

    [Fact]
    public async Task Idle_streams_get_heartbeats_with_the_cycles_they_cover()
    {
        var heartbeat = TimeSpan.FromSeconds(30);
        await using var fixture = await ObserverFixture.StartAsync(heartbeat: heartbeat);
        await fixture.EmitCycleAsync();
        await using var stream = fixture.Engine.Subscribe(new SubscriptionRequest { AfterCycle = 0 }).GetAsyncEnumerator();
        Assert.Equal(1, Assert.IsType<ObservationBatch>(await Bounded.Next(stream)).Cycle);

        var pending = stream.MoveNextAsync();
        fixture.Time.Advance(heartbeat);

        Assert.True(await pending.AsTask().WaitAsync(Bounded.Timeout));
        var beat = Assert.IsType<ObservationHeartbeat>(stream.Current);
        Assert.Equal(1, beat.Cycles["scripted"]);
    }

    [Fact]
    public async Task A_stream_bounded_by_max_messages_ends_normally()
    {
        await using var fixture = await ObserverFixture.StartAsync();
        await using var stream = fixture.Engine
            .Subscribe(new SubscriptionRequest { IncludeSnapshot = true, MaxMessages = 2 })
            .GetAsyncEnumerator();

        Assert.IsType<ObservationSnapshot>(await Bounded.Next(stream));
        await fixture.EmitCycleAsync();
        Assert.IsType<ObservationBatch>(await Bounded.Next(stream));
        await Bounded.End(stream);
        Assert.Equal(0, fixture.Engine.GetSubscriptionStatistics().Active);
    }

    [Fact]
    public async Task A_stream_bounded_by_max_duration_ends_normally()
    {
        await using var fixture = await ObserverFixture.StartAsync(heartbeat: TimeSpan.FromMinutes(1));
        await using var stream = fixture.Engine
            .Subscribe(new SubscriptionRequest { MaxDuration = TimeSpan.FromSeconds(5) })
            .GetAsyncEnumerator();

        var pending = stream.MoveNextAsync();
        fixture.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.False(await pending.AsTask().WaitAsync(Bounded.Timeout));
    }

    [Fact]
    public async Task A_thousand_subscribe_and_cancel_cycles_leave_no_subscription()
    {
        await using var fixture = await ObserverFixture.StartAsync();

        for (var i = 0; i < 1_000; i++)
        {
            using var cancel = new CancellationTokenSource();
            await using var stream = fixture.Engine
                .Subscribe(new SubscriptionRequest { IncludeSnapshot = true }, cancel.Token)
                .GetAsyncEnumerator();
            Assert.IsType<ObservationSnapshot>(await Bounded.Next(stream));
            var pending = stream.MoveNextAsync();
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.AsTask().WaitAsync(Bounded.Timeout));
        }

        var stats = fixture.Engine.GetSubscriptionStatistics();
        Assert.Equal(0, stats.Active);
        Assert.Equal(1_000, stats.Opened);
        Assert.Equal(0, fixture.Runner.GetStatus().Subscribers);
    }

    [Fact]
    public async Task Unknown_observers_and_bad_bounds_are_refused()
    {
        await using var fixture = await ObserverFixture.StartAsync();

        var missing = Assert.Throws<Runtime.Core.Errors.RuntimeException>(
            () => fixture.Engine.Subscribe(new SubscriptionRequest { Observers = ["ghost"] }));
        var invalid = Assert.Throws<Runtime.Core.Errors.RuntimeException>(
            () => fixture.Engine.Subscribe(new SubscriptionRequest { MaxMessages = -1 }));

        Assert.Equal("OBSERVER_NOT_FOUND", missing.Reason);
        Assert.Equal("max_messages", Assert.Single(invalid.Violations).Field);
    }
}
