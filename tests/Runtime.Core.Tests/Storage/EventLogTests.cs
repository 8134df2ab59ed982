using System.Buffers;
using Runtime.Core.Delivery;
using Runtime.Core.Events;
using Runtime.Core.Hosting;
using Runtime.Core.Inputs;
using Runtime.Core.Runtimes;
using Runtime.Core.Storage;
using Runtime.Core.Tests.Support;

namespace Runtime.Core.Tests.Storage;

/// <summary>Runtime events are written with the turns that produce them and numbered in commit order.</summary>
public sealed class EventLogTests
{
    [Fact]
    public async Task A_turns_events_are_committed_with_it_in_order_and_read_back_after_a_restart()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt");
        await f.Host.AcceptInputsAsync("rt", [HostFixture.Input("a"), HostFixture.Input("b")]);
        await f.SettleAsync("rt");
        var heard = f.Events.Committed.ToList();

        await f.RestartAsync();
        var read = await f.EventLog.ReadAsync(0, 10_000, CancellationToken.None);
        var middle = await f.EventLog.ReadAsync(heard[2].Sequence, 3, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, heard.Count).Select(i => (long)i), heard.Select(e => e.Sequence));
        Assert.Equal(heard.Select(e => (e.Sequence, e.Event)), read.Take(heard.Count).Select(e => (e.Sequence, e.Event)), new EventComparer());
        Assert.Equal(heard.Skip(3).Take(3).Select(e => e.Sequence), middle.Select(e => e.Sequence));
        Assert.Contains(heard, e => e.Event is { Kind: RuntimeEventKind.InputTransitioned, ToPhase: InputPhase.Consumed });
    }

    [Fact]
    public async Task Sequences_go_on_after_a_restart_and_published_events_answer_their_own_sequence()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "");
        await f.Host.AcceptInputAsync("rt", HostFixture.Input("a"));
        var before = f.Events.Committed.Max(e => e.Sequence);

        await f.RestartAsync();
        var published = await f.Host.PublishEventAsync("rt", new ExternalEvent
        {
            Kind = ExternalEventKind.Custom, Attributes = new Dictionary<string, string> { ["what"] = "deploy" },
        });
        var committed = f.Events.Committed.Single(e => e.Event.Kind == RuntimeEventKind.Published);

        Assert.True(published.EventSequence > before);
        Assert.Equal(committed.Sequence, published.EventSequence);
        Assert.Equal("deploy", committed.Event.Attributes!["what"]);
        var read = await f.EventLog.ReadAsync(published.EventSequence - 1, 1, CancellationToken.None);
        Assert.Equal(published.EventSequence, Assert.Single(read).Sequence);
    }

    [Fact]
    public async Task Events_of_no_turn_are_committed_too_and_a_switched_off_category_is_not_written()
    {
        await using var f = await HostFixture.StartAsync();
        f.Events.Disabled.Add(EventCategory.InputLifecycle);
        await f.CreateAsync("rt", destination: "");
        await f.Host.AcceptInputAsync("rt", HostFixture.Input("a"));
        await f.EventLog.AppendAsync([new RuntimeEvent { Kind = RuntimeEventKind.TransportChanged, Time = f.Time.GetUtcNow(), Destination = "d" }],
            CancellationToken.None);

        var read = await f.EventLog.ReadAsync(0, 100, CancellationToken.None);

        Assert.DoesNotContain(read, e => e.Event.Category == EventCategory.InputLifecycle);
        Assert.Equal("d", read[^1].Event.Destination);
        Assert.Equal(read.Select(e => e.Sequence), Enumerable.Range(1, read.Count).Select(i => (long)i));
    }

    [Fact]
    public void Every_field_of_an_event_round_trips_through_the_codec()
    {
        var full = new RuntimeEvent
        {
            Kind = RuntimeEventKind.InputTransitioned,
            Time = new DateTimeOffset(2026, 12, 2, 10, 0, 0, 123, TimeSpan.Zero),
            RuntimeId = "rt",
            InputId = "in-1",
            RunId = "run-1",
            Destination = "sink",
            InputKind = "order",
            FromPhase = InputPhase.Staged,
            ToPhase = InputPhase.Applied,
            FromState = RuntimeState.Attached,
            ToState = RuntimeState.Running,
            PayloadType = PayloadType.RpcReliable,
            Bytes = 1234,
            Latency = TimeSpan.FromMilliseconds(7.5),
            Attempt = 3,
            Reason = "because é",
            Attributes = new Dictionary<string, string> { ["k"] = "v", ["ü"] = "" },
        };
        var bare = new RuntimeEvent { Kind = RuntimeEventKind.RuntimeCreated, Time = DateTimeOffset.UnixEpoch };
        var buffer = new ArrayBufferWriter<byte>();

        EventCodec.Write(buffer, [full, bare, full]);
        var back = EventCodec.Read(buffer.WrittenSpan);
        var skipped = EventCodec.Read(buffer.WrittenSpan, skip: 1, max: 1);

        Assert.Equal(3, EventCodec.Count(buffer.WrittenSpan));
        Assert.Equal([full, bare, full], back, new EventComparer().ForEvents);
        Assert.Equal([bare], skipped, new EventComparer().ForEvents);
    }

    /// <summary>Events are records with a dictionary inside: compare the attributes by content.</summary>
    private sealed class EventComparer : IEqualityComparer<(long, RuntimeEvent)>
    {
        public IEqualityComparer<RuntimeEvent> ForEvents { get; } = new ByContent();

        public bool Equals((long, RuntimeEvent) x, (long, RuntimeEvent) y) => x.Item1 == y.Item1 && ForEvents.Equals(x.Item2, y.Item2);

        public int GetHashCode((long, RuntimeEvent) obj) => obj.Item1.GetHashCode();

        private sealed class ByContent : IEqualityComparer<RuntimeEvent>
        {
            public bool Equals(RuntimeEvent? x, RuntimeEvent? y) =>
                x is not null && y is not null &&
                x with { Attributes = null } == y with { Attributes = null } &&
                (x.Attributes ?? new Dictionary<string, string>()).OrderBy(a => a.Key).SequenceEqual(
                    (y.Attributes ?? new Dictionary<string, string>()).OrderBy(a => a.Key));

            public int GetHashCode(RuntimeEvent obj) => obj.Kind.GetHashCode();
        }
    }
}

/// <summary>Events are kept for their retention (age and count), then dropped by range; a watcher is told of the gap.</summary>
public sealed class EventRetentionTests
{
    [Fact]
    public async Task Events_older_than_their_retention_are_dropped_and_the_rest_kept()
    {
        await using var f = await HostFixture.StartAsync(beforeOpen: f => f.ConfigureStore = o =>
        {
            o.EventRetention = TimeSpan.FromDays(1);
            o.MaintenanceInterval = TimeSpan.FromDays(30); // no tick during the test: the pass below is the one

        });
        await f.CreateAsync("rt", destination: "");
        await f.Host.AcceptInputAsync("rt", HostFixture.Input("old"));
        var old = f.Events.Committed.Max(e => e.Sequence);
        f.Time.Advance(TimeSpan.FromDays(2));
        await f.Host.AcceptInputAsync("rt", HostFixture.Input("new"));

        var dropped = await f.Store.RunMaintenanceAsync();
        var kept = await f.EventLog.ReadAsync(0, 100, CancellationToken.None);

        Assert.True(dropped > 0);
        Assert.Equal(old + 1, kept[0].Sequence);
        Assert.All(kept, e => Assert.True(e.Event.Time > f.Time.GetUtcNow() - TimeSpan.FromDays(1)));
        Assert.Equal(f.Events.Committed.Max(e => e.Sequence), kept[^1].Sequence);
        Assert.Equal(0, await f.Store.RunMaintenanceAsync()); // nothing more is due
    }

    [Fact]
    public async Task Beyond_the_most_events_kept_the_oldest_go_first_and_new_ones_are_numbered_on()
    {
        await using var f = await HostFixture.StartAsync(beforeOpen: f => f.ConfigureStore = o => o.MaxRetainedEvents = 10);
        await f.CreateAsync("rt", destination: "");
        for (var i = 0; i < 10; i++)
        {
            await f.Host.AcceptInputAsync("rt", HostFixture.Input($"in-{i}"));
        }

        var last = f.Events.Committed.Max(e => e.Sequence);
        await f.Store.RunMaintenanceAsync();
        await f.RestartAsync();
        var kept = await f.EventLog.ReadAsync(0, 100, CancellationToken.None);
        var next = await f.Host.PublishEventAsync("rt", new ExternalEvent { Kind = ExternalEventKind.Custom });

        Assert.InRange(kept.Count, 1, 10); // whole commits go: at most the 10 newest events stay
        Assert.Equal(last, kept[^1].Sequence);
        Assert.True(kept[0].Sequence > last - 10);
        Assert.True(next.EventSequence > last);
    }
}
