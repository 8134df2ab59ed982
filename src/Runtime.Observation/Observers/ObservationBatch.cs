using Runtime.Observation.Filtering;

namespace Runtime.Observation.Observers;

/// <summary>The delta events of one non-empty cycle. Shared by history and every subscriber; never mutated.</summary>
public sealed class ObservationBatch(
    string observer, long cycle, DateTimeOffset time, int sourceCount, IReadOnlyList<ObservationEvent> events)
    : ObservationMessage
{
    /// <inheritdoc />
    public override string Observer { get; } = observer;

    /// <summary>The cycle that produced it.</summary>
    public long Cycle { get; } = cycle;

    /// <summary>When the cycle ran.</summary>
    public DateTimeOffset Time { get; } = time;

    /// <summary>How many sources the cycle looked at.</summary>
    public int SourceCount { get; } = sourceCount;

    /// <summary>What changed, in the order the observer reported it.</summary>
    public IReadOnlyList<ObservationEvent> Events { get; } = events;

    /// <summary>
    /// The batch restricted by <paramref name="filter"/>: itself when everything passes (so its encoding is shared),
    /// a copy with the matching events, or null when none match.
    /// </summary>
    public ObservationBatch? Filter(IObservationFilter filter)
    {
        if (filter.MatchesAll)
        {
            return this;
        }

        var matching = Events.Where(filter.Matches).ToArray();
        return matching.Length == Events.Count ? this
            : matching.Length == 0 ? null
            : new ObservationBatch(Observer, Cycle, Time, SourceCount, matching);
    }
}
