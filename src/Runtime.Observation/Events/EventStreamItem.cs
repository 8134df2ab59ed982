namespace Runtime.Observation.Events;

/// <summary>One item of a watch stream: events, a gap, or a heartbeat.</summary>
public abstract record EventStreamItem;

/// <summary>Consecutive matching events, in sequence order.</summary>
public sealed record EventBatch(IReadOnlyList<StreamedEvent> Events) : EventStreamItem
{
    /// <summary>The sequence of the last event in the batch (resume after it).</summary>
    public long LastSequence => Events[^1].Sequence;
}

/// <summary>
/// Events from <see cref="FromSequence"/> to <see cref="ToSequence"/> (inclusive) could not be delivered: they left
/// the ring before the watcher read them. Never a silent hole.
/// </summary>
public sealed record EventGap(long FromSequence, long ToSequence, EventGapReason Reason) : EventStreamItem;

/// <summary>
/// Nothing matched for a heartbeat interval. <see cref="Sequence"/> is how far the watcher has looked: resuming after
/// it skips what the filter already rejected.
/// </summary>
public sealed record EventHeartbeat(long Sequence, DateTimeOffset Time) : EventStreamItem;

/// <summary>Why events were lost.</summary>
public enum EventGapReason
{
    /// <summary>The requested resume point is older than what the ring (or this process) still holds.</summary>
    Trimmed,

    /// <summary>The watcher read too slowly and the ring overwrote events it had not read yet.</summary>
    FellBehind,
}
