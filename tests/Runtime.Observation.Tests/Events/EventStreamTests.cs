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
    private readonly FakeTimeProvider _time = new();
    private MemoryEventLog _log = new();

    public void Dispose()
    {
    }

    [Fact]
    public void Sequences_start_at_one_and_increase()
    {
        using var stream = Open();

        Assert.Equal([1L, 2L, 3L], Enumerable.Range(0, 3).Select(_ => _log.Publish(Input("rt-1"))));
        Assert.Equal(3, stream.LastSequence);
    }

    [Fact]
    public void Categories_are_switched_on_and_off()
    {
        using var stream = Open();
        stream.SetEnabled(EventCategory.InputLifecycle, enabled: false);

        Assert.False(stream.IsEnabled(EventCategory.InputLifecycle));
        Assert.True(stream.IsEnabled(EventCategory.RuntimeState));
        Assert.Equal([EventCategory.InputLifecycle], stream.GetStatistics().DisabledCategories);

        stream.SetEnabled(EventCategory.InputLifecycle, enabled: true);
        Assert.True(stream.IsEnabled(EventCategory.InputLifecycle));
        Assert.Empty(stream.GetStatistics().DisabledCategories);
    }

    [Fact]
    public async Task Resuming_after_the_last_seen_sequence_loses_nothing_and_repeats_nothing()
    {
        using var stream = Open();
        for (var i = 0; i < 5; i++)
        {
            _log.Publish(Input("rt-1"));
        }

        var first = await Collect(stream, new EventWatchRequest { AfterSequence = 0, MaxEvents = 3 });
        for (var i = 0; i < 4; i++)
        {
            _log.Publish(Input("rt-1"));
        }

        var rest = await Collect(stream, new EventWatchRequest { AfterSequence = first[^1].Sequence, MaxEvents = 6 });

        Assert.Equal([1L, 2L, 3L], first.Select(e => e.Sequence));
        Assert.Equal([4L, 5L, 6L, 7L, 8L, 9L], rest.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Resuming_before_the_ring_reads_the_older_events_from_the_log()
    {
        using var stream = Open(ringCapacity: 8);
        for (var i = 0; i < 20; i++)
        {
            _log.Publish(Input("rt-1"));
        }

        var events = await Collect(stream, new EventWatchRequest { AfterSequence = 0, MaxEvents = 20 });

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(0, stream.GetStatistics().GapsReported);
    }

    [Fact]
    public async Task Resuming_before_what_the_log_retains_gets_a_gap_then_the_retained_events()
    {
        _log = new MemoryEventLog(capacity: 10);
        using var stream = Open(ringCapacity: 4);
        for (var i = 0; i < 20; i++)
        {
            _log.Publish(Input("rt-1"));
        }

        await using var watch = stream.Watch(new EventWatchRequest { AfterSequence = 0 }).GetAsyncEnumerator();

        var gap = Assert.IsType<EventGap>(await Bounded.Next(watch));
        Assert.Equal((1L, 10L, EventGapReason.Trimmed), (gap.FromSequence, gap.ToSequence, gap.Reason));
        var resumed = new List<long>();
        while (resumed.Count < 10)
        {
            resumed.AddRange(Assert.IsType<EventBatch>(await Bounded.Next(watch)).Events.Select(e => e.Sequence));
        }

        Assert.Equal(Enumerable.Range(11, 10).Select(i => (long)i), resumed);
        Assert.Equal(1, stream.GetStatistics().GapsReported);
    }

    [Fact]
    public async Task A_watcher_that_falls_behind_the_ring_catches_up_from_the_log()
    {
        using var stream = Open(ringCapacity: 4);
        await using var watch = stream.Watch(new EventWatchRequest { AfterSequence = 0 }).GetAsyncEnumerator();
        _log.Publish(Input("rt-1"));
        Assert.Equal(1, Assert.IsType<EventBatch>(await Bounded.Next(watch)).LastSequence);

        for (var i = 0; i < 10; i++)
        {
            _log.Publish(Input("rt-1"));
        }

        var caughtUp = new List<long>();
        while (caughtUp.Count < 10)
        {
            caughtUp.AddRange(Assert.IsType<EventBatch>(await Bounded.Next(watch)).Events.Select(e => e.Sequence));
        }

        Assert.Equal(Enumerable.Range(2, 10).Select(i => (long)i), caughtUp);
        Assert.Equal(0, stream.GetStatistics().GapsReported);
    }

    [Fact]
    public async Task A_live_watcher_is_woken_by_new_events()
    {
        using var stream = Open();
        _log.Publish(Input("rt-0"));
        await using var watch = stream.Watch(new EventWatchRequest()).GetAsyncEnumerator();

        var pending = watch.MoveNextAsync();
        _log.Publish(Input("rt-1"));

        Assert.True(await pending.AsTask().WaitAsync(Bounded.Timeout));
        var batch = Assert.IsType<EventBatch>(watch.Current);
        Assert.Equal("rt-1", Assert.Single(batch.Events).Event.RuntimeId);
    }

    [Fact]
    public async Task Events_published_within_the_wake_delay_reach_a_watcher_as_one_batch()
    {
        using var stream = new EventStream(
            Options.Create(new EventStreamOptions { WakeDelay = TimeSpan.FromMilliseconds(500) }), _time, _log);
        await using var watch = stream.Watch(new EventWatchRequest()).GetAsyncEnumerator();
        var pending = watch.MoveNextAsync();

        for (var i = 0; i < 20; i++)
        {
            _log.Publish(Input($"rt-{i}"));
        }

        Assert.True(await pending.AsTask().WaitAsync(Bounded.Timeout));
        Assert.Equal(20, Assert.IsType<EventBatch>(watch.Current).Events.Count);
    }

    [Fact]
    public async Task Many_publishes_to_many_waiting_watchers_cost_one_wake()
    {
        using var stream = new EventStream(
            Options.Create(new EventStreamOptions { WakeDelay = TimeSpan.FromMilliseconds(500) }), _time, _log);
        var watches = Enumerable.Range(0, 50).Select(_ => stream.Watch(new EventWatchRequest()).GetAsyncEnumerator()).ToList();
        try
        {
            var pending = watches.Select(w => w.MoveNextAsync().AsTask()).ToList();
            for (var i = 0; i < 20; i++)
            {
                _log.Publish(Input($"rt-{i}"));
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
    public async Task A_commits_events_reach_a_watcher_in_order_as_one_batch()
    {
        using var stream = new EventStream(Options.Create(new EventStreamOptions { WakeDelay = TimeSpan.Zero }), _time, _log);
        await using var watch = stream.Watch(new EventWatchRequest()).GetAsyncEnumerator();
        var pending = watch.MoveNextAsync();

        _log.PublishAll([Input("rt-1"), Created("rt-2"), Input("rt-3")]);

        Assert.True(await pending.AsTask().WaitAsync(Bounded.Timeout));
        var batch = Assert.IsType<EventBatch>(watch.Current);
        Assert.Equal([1L, 2L, 3L], batch.Events.Select(e => e.Sequence));
        Assert.Equal(["rt-1", "rt-2", "rt-3"], batch.Events.Select(e => e.Event.RuntimeId));
        Assert.Equal(3, stream.LastSequence);
    }

    [Fact]
    public async Task The_filter_selects_by_runtime_ids_kinds_and_labels()
    {
        using var stream = Open();
        var prod = new Dictionary<string, string> { ["env"] = "prod" };
        _log.Publish(Input("a"));
        _log.Publish(Created("a") with { Attributes = prod });
        _log.Publish(Created("b") with { Attributes = prod });
        _log.Publish(Created("a"));

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
        _log.Publish(Input("other"));
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
            _log.Publish(Input("rt-1"));
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
    public async Task Concurrent_publishers_get_unique_ordered_sequences()
    {
        using var stream = Open(ringCapacity: 50_000);
        var publishers = Enumerable.Range(0, 4)
            .Select(p => Task.Run(() =>
            {
                for (var i = 0; i < 10_000; i++)
                {
                    _log.Publish(Input($"rt-{p}"));
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

    private EventStream Open(int ringCapacity = 1_024) =>
        new(Options.Create(new EventStreamOptions
        {
            RingCapacity = ringCapacity,
            HeartbeatInterval = TimeSpan.FromSeconds(10),
        }), _time, _log);

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
