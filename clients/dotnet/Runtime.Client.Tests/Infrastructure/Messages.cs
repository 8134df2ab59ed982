using Runtime.Contracts.V1;

namespace Runtime.Client.Tests.Infrastructure;

/// <summary>Short constructors for the stream messages the scripts send.</summary>
public static class Messages
{
    /// <summary>A batch of input events with these sequences.</summary>
    public static WatchRuntimeEventsResponse Events(params ulong[] sequences)
    {
        var batch = new RuntimeEventBatch();
        batch.Events.AddRange(sequences.Select(s => new RuntimeEvent
        {
            Sequence = s,
            Kind = RuntimeEventKind.InputTransitioned,
            RuntimeId = "orders",
            InputId = $"in-{s}",
        }));
        return new WatchRuntimeEventsResponse { Events = batch };
    }

    /// <summary>One event about an input.</summary>
    public static WatchRuntimeEventsResponse InputEvent(ulong sequence, string inputId, InputPhase to) => new()
    {
        Events = new RuntimeEventBatch
        {
            Events = { new RuntimeEvent { Sequence = sequence, Kind = RuntimeEventKind.InputTransitioned, RuntimeId = "orders", InputId = inputId, ToPhase = to } },
        },
    };

    /// <summary>An event-stream gap.</summary>
    public static WatchRuntimeEventsResponse EventGap(ulong after, ulong resumeAt) =>
        new() { Gap = new Gap { Reason = GapReason.Trimmed, After = after, ResumeAt = resumeAt } };

    /// <summary>An event-stream heartbeat.</summary>
    public static WatchRuntimeEventsResponse EventHeartbeat(ulong position) => new() { Heartbeat = new Heartbeat { Position = position } };

    /// <summary>An observer snapshot.</summary>
    public static SubscribeResponse Snapshot(string observer, ulong cycle) =>
        new() { Snapshot = new Snapshot { Observer = observer, Cycle = cycle, Runtimes = new RuntimesSnapshot() } };

    /// <summary>An observer batch.</summary>
    public static SubscribeResponse Batch(string observer, ulong cycle) => new()
    {
        Batch = new Batch { Observer = observer, Cycle = cycle, Events = { new ObservationEvent { Kind = "runtime.created", Subject = "orders" } } },
    };

    /// <summary>An observation gap.</summary>
    public static SubscribeResponse ObservationGap(string observer, ulong after, ulong resumeAt) =>
        new() { Gap = new Gap { Reason = GapReason.Trimmed, Observer = observer, After = after, ResumeAt = resumeAt } };

    /// <summary>An observation heartbeat.</summary>
    public static SubscribeResponse ObservationHeartbeat(ulong position) => new() { Heartbeat = new Heartbeat { Position = position } };
}
