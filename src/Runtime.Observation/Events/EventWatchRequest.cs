namespace Runtime.Observation.Events;

/// <summary>What a watcher asks of the event stream. Zero bounds mean unbounded.</summary>
public sealed record EventWatchRequest
{
    /// <summary>Resume after this sequence; null starts with the next event published.</summary>
    public long? AfterSequence { get; init; }

    /// <summary>Which events to deliver; null delivers all (see <see cref="EventFilter"/>).</summary>
    public Func<StreamedEvent, bool>? Filter { get; init; }

    /// <summary>End the stream normally after this many events (0: no limit).</summary>
    public long MaxEvents { get; init; }

    /// <summary>End the stream normally after this long (zero: no limit).</summary>
    public TimeSpan MaxDuration { get; init; }
}
