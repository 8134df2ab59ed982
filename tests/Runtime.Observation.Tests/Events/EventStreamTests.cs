using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Runtime.Core.Errors;
using Runtime.Core.Events;
using Runtime.Core.Inputs;
using Runtime.Observation.Events;
using Runtime.Observation.Filtering;
using Runtime.Observation.Tests.Support;

namespace Runtime.Observation.Tests.Events;

public sealed class EventStreamTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Sequences_start_at_one_and_increase()
    {
        using var stream = Open();

        Assert.Equal([1L, 2L, 3L], Enumerable.Range(0, 3).Select(_ => stream.Publish(Input("rt-1"))));
        Assert.Equal(3, stream.LastSequence);
    }

    [Fact]
    public async Task A_disabled_category_is_not_produced()
    {
        using var stream = Open();
        stream.SetEnabled(EventCategory.InputLifecycle, enabled: false);

        Assert.False(stream.IsEnabled(EventCategory.InputLifecycle));
        Assert.Equal([EventCategory.InputLifecycle], stream.GetStatistics().DisabledCategories);
        Assert.Equal(0, stream.Publish(Input("rt-1")));
        Assert.Equal(1, stream.Publish(Created("rt-1")));

        stream.SetEnabled(EventCategory.InputLifecycle, enabled: true);
        Assert.Equal(2, stream.Publish(Input("rt-1")));
        var events = await Collect(stream, new EventWatchRequest { AfterSequence = 0, MaxEvents = 2 });
        Assert.Equal([RuntimeEventKind.RuntimeCreated, RuntimeEventKind.InputTransitioned], events.Select(e => e.Event.Kind));
    }

    [Fact]
    public async Task Resuming_after_the_last_seen_sequence_loses_nothing_and_repeats_nothing()
    {
        using var stream = Open();
        for (var i = 0; i < 5; i++)
        {
            stream.Publish(Input("rt-1"));
        }

        var first = await Collect(stream, new EventWatchRequest { AfterSequence = 0, MaxEvents = 3 });
        for (var i = 0; i < 4; i++)
        {
            stream.Publish(Input("rt-1"));
        }

        var rest = await Collect(stream, new EventWatchRequest { AfterSequence = first[^1].Sequence, MaxEvents = 6 });

        Assert.Equal([1L, 2L, 3L], first.Select(e => e.Sequence));
        Assert.Equal([4L, 5L, 6L, 7L, 8L, 9L], rest.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Resuming_before_the_ring_gets_a_gap_then_what_the_ring_holds()
    {
        using var stream = Open(ringCapacity: 8);
        for (var i = 0; i < 20; i++)
        {
            stream.Publish(Input("rt-1"));
        }

        await using var watch = stream.Watch(new EventWatchRequest { AfterSequence = 0 }).GetAsyncEnumerator();

        var gap = Assert.IsType<EventGap>(await Bounded.Next(watch));
        Assert.Equal((1L, 12L, EventGapReason.Trimmed), (gap.FromSequence, gap.ToSequence, gap.Reason));
        var batch = Assert.IsType<EventBatch>(await Bounded.Next(watch));
        Assert.Equal(Enumerable.Range(13, 8).Select(i => (long)i), batch.Events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task A_watcher_that_falls_behind_the_ring_is_told_what_it_lost()
    {
        using var stream = Open(ringCapacity: 4);
        await using var watch = stream.Watch(new EventWatchRequest { AfterSequence = 0 }).GetAsyncEnumerator();
        stream.Publish(Input("rt-1"));
        Assert.Equal(1, Assert.IsType<EventBatch>(await Bounded.Next(watch)).LastSequence);

        for (var i = 0; i < 10; i++)
        {
            stream.Publish(Input("rt-1"));
        }

        var gap = Assert.IsType<EventGap>(await Bounded.Next(watch));
        Assert.Equal((2L, 7L, EventGapReason.FellBehind), (gap.FromSequence, gap.ToSequence, gap.Reason));
        Assert.Equal([8L, 9L, 10L, 11L], Assert.IsType<EventBatch>(await Bounded.Next(watch)).Events.Select(e => e.Sequence));
        Assert.Equal(1, stream.GetStatistics().GapsReported);
    }

    [Fact]
    public async Task A_live_watcher_is_woken_by_new_events()
    {
        using var stream = Open();
        stream.Publish(Input("rt-0"));
        await using var watch = stream.Watch(new EventWatchRequest()).GetAsyncEnumerator();

        var pending = watch.MoveNextAsync();
        stream.Publish(Input("rt-1"));

        Assert.True(await pending.AsTask().WaitAsync(Bounded.Timeout));
        var batch = Assert.IsType<EventBatch>(watch.Current);
        Assert.Equal("rt-1", Assert.Single(batch.Events).Event.RuntimeId);
    }

    [Fact]
    public async Task Events_published_within_the_wake_delay_reach_a_watcher_as_one_batch()
    {
        using var stream = new EventStream(
            Options.Create(new EventStreamOptions { DataDirectory = _directory.Path, WakeDelay = TimeSpan.FromMilliseconds(500) }), _time);
        await using var watch = stream.Watch(new EventWatchRequest()).GetAsyncEnumerator();
        var pending = watch.MoveNextAsync();

        for (var i = 0; i < 20; i++)
        {
            stream.Publish(Input($"rt-{i}"));
        }

        Assert.True(await pending.AsTask().WaitAsync(Bounded.Timeout));
        Assert.Equal(20, Assert.IsType<EventBatch>(watch.Current).Events.Count);
    }

    [Fact]
    public async Task Many_publishes_to_many_waiting_watchers_cost_one_wake()
    {
        using var stream = new EventStream(
            Options.Create(new EventStreamOptions { DataDirectory = _directory.Path, WakeDelay = TimeSpan.FromMilliseconds(500) }), _time);
        var watches = Enumerable.Range(0, 50).Select(_ => stream.Watch(new EventWatchRequest()).GetAsyncEnumerator()).ToList();
        try
        {
            var pending = watches.Select(w => w.MoveNextAsync().AsTask()).ToList();
            for (var i = 0; i < 20; i++)
            {
                stream.Publish(Input($"rt-{i}"));
            }

            Assert.All(await Task.WhenAll(pending).WaitAsync(Bounded.Timeout), Assert.True);
            Assert.All(watches, w => Assert.Equal(20, Assert.IsType<EventBatch>(w.Current).Events.Count));
            Assert.Equal(1, stream.GetStatistics().Wakes);
        }
        finally
        {
            foreach (var watch in watches)
            {
                await watch.DisposeAsync();
            }
        }
    }

    [Fact]
    public void The_wake_delay_bounds_are_checked()
    {
        var invalid = new EventStreamOptions
        {
            MaxWakeDelay = TimeSpan.FromSeconds(2),
            WakeDelayPerWatcher = TimeSpan.FromMilliseconds(-1),
        };

        var result = new EventStreamOptionsValidator().Validate(null, invalid);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("MaxWakeDelay", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("WakeDelayPerWatcher", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_turns_events_published_together_reach_a_watcher_in_order_as_one_batch()
    {
        using var stream = new EventStream(
            Options.Create(new EventStreamOptions { DataDirectory = _directory.Path, WakeDelay = TimeSpan.Zero }), _time);
        stream.SetEnabled(EventCategory.RuntimeState, enabled: false);
        await using var watch = stream.Watch(new EventWatchRequest()).GetAsyncEnumerator();
        var pending = watch.MoveNextAsync();

        stream.PublishAll([Input("rt-1"), Created("rt-2"), Input("rt-3")]);

        Assert.True(await pending.AsTask().WaitAsync(Bounded.Timeout));
        var batch = Assert.IsType<EventBatch>(watch.Current);
        Assert.Equal([1L, 2L], batch.Events.Select(e => e.Sequence));
        Assert.Equal(["rt-1", "rt-3"], batch.Events.Select(e => e.Event.RuntimeId));
        Assert.Equal(2, stream.LastSequence);
        Assert.Equal(3, stream.Publish(Input("rt-4")));
    }

    [Fact]
    public async Task The_filter_selects_by_runtime_ids_kinds_and_labels()
    {
        using var stream = Open();
        var prod = new Dictionary<string, string> { ["env"] = "prod" };
        stream.Publish(Input("a"));
        stream.Publish(Created("a") with { Attributes = prod });
        stream.Publish(Created("b") with { Attributes = prod });
        stream.Publish(Created("a"));

        var filter = new EventFilter
        {
            RuntimeIds = ["a"],
            Kinds = [RuntimeEventKind.RuntimeCreated],
            Filter = new RuntimeFilter(labels: prod),
        };
        var events = await Collect(stream, new EventWatchRequest { AfterSequence = 0, Filter = filter.ToPredicate(), MaxEvents = 1 });

        Assert.Equal(2, Assert.Single(events).Sequence);
    }

    [Fact]
    public async Task An_idle_watcher_gets_a_heartbeat_saying_how_far_it_has_looked()
    {
        using var stream = Open();
        stream.Publish(Input("other"));
        var onlyMine = new EventFilter { RuntimeIds = ["mine"] }.ToPredicate();
        await using var watch = stream.Watch(new EventWatchRequest { AfterSequence = 0, Filter = onlyMine }).GetAsyncEnumerator();

        var pending = watch.MoveNextAsync();
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(await pending.AsTask().WaitAsync(Bounded.Timeout));
        var beat = Assert.IsType<EventHeartbeat>(watch.Current);
        Assert.Equal(1, beat.Sequence);
    }

    [Fact]
    public async Task Streams_bounded_by_events_or_duration_end_normally()
    {
        using var stream = Open();
        for (var i = 0; i < 3; i++)
        {
            stream.Publish(Input("rt-1"));
        }

        var bounded = await Collect(stream, new EventWatchRequest { AfterSequence = 0, MaxEvents = 2 });
        Assert.Equal([1L, 2L], bounded.Select(e => e.Sequence));

        await using var timed = stream.Watch(new EventWatchRequest { MaxDuration = TimeSpan.FromSeconds(3) }).GetAsyncEnumerator();
        var pending = timed.MoveNextAsync();
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.False(await pending.AsTask().WaitAsync(Bounded.Timeout));
    }

    [Fact]
    public async Task Cancelling_a_watch_frees_it()
    {
        using var stream = Open();
        for (var i = 0; i < 100; i++)
        {
            using var cancel = new CancellationTokenSource();
            await using var watch = stream.Watch(new EventWatchRequest(), cancel.Token).GetAsyncEnumerator();
            var pending = watch.MoveNextAsync();
            Assert.Equal(1, stream.GetStatistics().ActiveWatchers);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.AsTask().WaitAsync(Bounded.Timeout));
        }

        Assert.Equal(0, stream.GetStatistics().ActiveWatchers);
    }

    [Fact]
    public void Sequences_continue_after_a_clean_restart_without_a_hole()
    {
        using (var before = Open())
        {
            for (var i = 0; i < 5; i++)
            {
                before.Publish(Input("rt-1"));
            }
        }

        using var after = Open();

        Assert.Equal(6, after.FirstSequence);
        Assert.Equal(6, after.Publish(Input("rt-1")));
    }

    [Fact]
    public async Task Sequences_never_repeat_after_a_crash_and_resumers_are_told_of_the_gap()
    {
        var crashed = Open(blockSize: 100);
        for (var i = 0; i < 5; i++)
        {
            crashed.Publish(Input("rt-1"));
        }

        // No Dispose: the process died. Its reserved block is skipped, never reused.
        using var restarted = Open(blockSize: 100);
        Assert.Equal(101, restarted.FirstSequence);
        Assert.Equal(101, restarted.Publish(Input("rt-1")));

        await using var watch = restarted.Watch(new EventWatchRequest { AfterSequence = 5 }).GetAsyncEnumerator();
        var gap = Assert.IsType<EventGap>(await Bounded.Next(watch));
        Assert.Equal((6L, 100L), (gap.FromSequence, gap.ToSequence));
        Assert.Equal(101, Assert.IsType<EventBatch>(await Bounded.Next(watch)).LastSequence);
    }

    [Fact]
    public void Reservations_move_ahead_in_blocks_and_survive_many_events()
    {
        using (var stream = Open(blockSize: 16))
        {
            for (var i = 0; i < 1_000; i++)
            {
                Assert.Equal(i + 1, stream.Publish(Input("rt-1")));
            }
        }

        using var reopened = Open(blockSize: 16);
        Assert.Equal(1_001, reopened.FirstSequence);
    }

    [Fact]
    public void A_corrupt_sequence_file_refuses_to_start()
    {
        File.WriteAllText(Path.Combine(_directory.Path, "event-sequence"), "not a number");

        var error = Assert.Throws<RuntimeException>(() => Open());

        Assert.Equal("SEQUENCE_FILE_CORRUPT", error.Reason);
    }

    [Fact]
    public async Task Concurrent_publishers_get_unique_ordered_sequences()
    {
        using var stream = Open(ringCapacity: 50_000);
        var publishers = Enumerable.Range(0, 4)
            .Select(p => Task.Run(() =>
            {
                for (var i = 0; i < 10_000; i++)
                {
                    stream.Publish(Input($"rt-{p}"));
                }
            }))
            .ToArray();
        await Bounded.Wait(Task.WhenAll(publishers));

        var events = await Collect(stream, new EventWatchRequest { AfterSequence = 0, MaxEvents = 40_000 });

        Assert.Equal(Enumerable.Range(1, 40_000).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.All(Enumerable.Range(0, 4), p => Assert.Equal(10_000, events.Count(e => e.Event.RuntimeId == $"rt-{p}")));
    }

    [Fact]
    public void Streamed_events_are_encoded_once()
    {
        var streamed = new StreamedEvent(1, Input("rt-1"));
        var calls = 0;

        var a = streamed.GetOrAddEncoded(() => { calls++; return "bytes"; });
        var b = streamed.GetOrAddEncoded(() => { calls++; return "other"; });

        Assert.Same(a, b);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Bad_watch_requests_are_refused_with_field_violations()
    {
        using var stream = Open();

        var error = Assert.Throws<RuntimeException>(() => stream.Watch(new EventWatchRequest { AfterSequence = -1, MaxEvents = -2 }));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(["after_sequence", "max_events"], error.Violations.Select(v => v.Field));
    }

    private static async Task<List<StreamedEvent>> Collect(EventStream stream, EventWatchRequest request)
    {
        var events = new List<StreamedEvent>();
        await foreach (var item in stream.Watch(request).WithCancellation(CancellationToken.None))
        {
            events.AddRange(Assert.IsType<EventBatch>(item).Events);
        }

        return events;
    }

    private EventStream Open(int ringCapacity = 1_024, int blockSize = 1_024) =>
        new(Options.Create(new EventStreamOptions
        {
            DataDirectory = _directory.Path,
            RingCapacity = ringCapacity,
            SequenceBlockSize = blockSize,
            HeartbeatInterval = TimeSpan.FromSeconds(10),
        }), _time);

    private RuntimeEvent Input(string runtimeId) => new()
    {
        Kind = RuntimeEventKind.InputTransitioned,
        Time = _time.GetUtcNow(),
        RuntimeId = runtimeId,
        ToPhase = InputPhase.Accepted,
    };

    private RuntimeEvent Created(string runtimeId) => new()
    {
        Kind = RuntimeEventKind.RuntimeCreated,
        Time = _time.GetUtcNow(),
        RuntimeId = runtimeId,
    };
}
