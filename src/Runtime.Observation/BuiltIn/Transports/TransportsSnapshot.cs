using Runtime.Observation.Filtering;
using Runtime.Observation.Observers;

namespace Runtime.Observation.BuiltIn.Transports;

/// <summary>The <c>transports</c> snapshot: wires counted by state, and every destination with its wires.</summary>
public sealed record TransportsSnapshot(
    IReadOnlyDictionary<WireState, int> WiresByState, IReadOnlyList<DestinationInfo> Destinations) : SnapshotContent
{
    /// <summary>Builds the snapshot of <paramref name="destinations"/>, ordered by name.</summary>
    public static TransportsSnapshot Of(IEnumerable<DestinationInfo> destinations)
    {
        var rows = destinations.OrderBy(d => d.Name, StringComparer.Ordinal).ToArray();
        var counts = rows.SelectMany(d => d.Wires).GroupBy(w => w.State).ToDictionary(g => g.Key, g => g.Count());
        return new TransportsSnapshot(counts, rows);
    }

    /// <inheritdoc />
    public override SnapshotContent Filter(IObservationFilter filter) =>
        filter.MatchesAll ? this : Of(Destinations.Where(filter.Matches));
}
