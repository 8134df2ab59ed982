using Runtime.Core.Events;

namespace Runtime.Observation.Events;

/// <summary>A point-in-time view of the event stream, for stats RPCs and dashboards.</summary>
public sealed record EventStreamStatistics
{
    /// <summary>The first sequence this process published (or will publish).</summary>
    public required long FirstSequence { get; init; }

    /// <summary>The last sequence published (FirstSequence - 1 when none yet).</summary>
    public required long LastSequence { get; init; }

    /// <summary>The oldest sequence still in the ring (resumable).</summary>
    public required long OldestSequence { get; init; }

    /// <summary>How many events the ring holds at most.</summary>
    public required int RingCapacity { get; init; }

    /// <summary>Watch streams open now.</summary>
    public required int ActiveWatchers { get; init; }

    /// <summary>
    /// Times waiting watchers were woken since start. Each wake serves every watcher once, however many events
    /// were published since the last one: publishing never signals watchers one by one.
    /// </summary>
    public required long Wakes { get; init; }

    /// <summary>Gaps reported to watchers since start (events they lost).</summary>
    public required long GapsReported { get; init; }

    /// <summary>Categories switched off (not produced at all).</summary>
    public required IReadOnlyList<EventCategory> DisabledCategories { get; init; }
}
