namespace Runtime.Observation.Observers;

/// <summary>
/// Batches of cycles <see cref="FromCycle"/> to <see cref="ToCycle"/> (inclusive) cannot be delivered. A fresh
/// snapshot always follows, so the subscriber rebuilds its view instead of living with a silent hole.
/// </summary>
public sealed class ObservationGap(string observer, long fromCycle, long toCycle, ObservationGapReason reason, long? resumeAt = null)
    : ObservationMessage
{
    /// <inheritdoc />
    public override string Observer { get; } = observer;

    /// <summary>The first cycle whose batch may be missing.</summary>
    public long FromCycle { get; } = fromCycle;

    /// <summary>The last cycle whose batch may be missing.</summary>
    public long ToCycle { get; } = toCycle;

    /// <summary>Why.</summary>
    public ObservationGapReason Reason { get; } = reason;

    /// <summary>
    /// The first cycle delivered after the gap: the cycle of the fresh snapshot that follows it on a stream, or the
    /// cycle right after the gap in a history read.
    /// </summary>
    public long ResumeAt { get; } = resumeAt ?? toCycle + 1;
}

/// <summary>Why a subscriber missed batches.</summary>
public enum ObservationGapReason
{
    /// <summary>The cycle to resume after has left the history.</summary>
    Trimmed,

    /// <summary>The subscriber read too slowly; its buffer overflowed and the missed cycles left the history.</summary>
    FellBehind,

    /// <summary>
    /// The cycle to resume after is unknown to this observer (newer than its current cycle: another server, or its
    /// data directory was replaced). The gap then spans from 0 to the fresh snapshot's cycle.
    /// </summary>
    UnknownCycle,

    /// <summary>The cycle to resume after belongs to an earlier run of the service (cycles continue across restarts).</summary>
    Restarted,
}
