using Runtime.Observation.Filtering;

namespace Runtime.Observation.Observers;

/// <summary>An observer's state as of a cycle (cycle 0 is the initial snapshot).</summary>
public sealed class ObservationSnapshot(string observer, long cycle, DateTimeOffset time, int sourceCount, SnapshotContent content)
    : ObservationMessage
{
    /// <inheritdoc />
    public override string Observer { get; } = observer;

    /// <summary>The cycle that produced it.</summary>
    public long Cycle { get; } = cycle;

    /// <summary>When it was taken.</summary>
    public DateTimeOffset Time { get; } = time;

    /// <summary>How many sources the cycle looked at.</summary>
    public int SourceCount { get; } = sourceCount;

    /// <summary>The observer-specific content.</summary>
    public SnapshotContent Content { get; } = content;

    /// <summary>This snapshot restricted by <paramref name="filter"/> (itself when the filter passes everything).</summary>
    public ObservationSnapshot Filter(IObservationFilter filter) =>
        filter.MatchesAll ? this : new ObservationSnapshot(Observer, Cycle, Time, SourceCount, Content.Filter(filter));
}
