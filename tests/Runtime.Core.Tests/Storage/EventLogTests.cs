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
