using Runtime.Core.Runtimes;
using Runtime.Observation.Filtering;
using Runtime.Observation.Observers;

namespace Runtime.Observation.BuiltIn.Runtimes;

/// <summary>The <c>runtimes</c> snapshot: counts by state, total queue depth, and one row per runtime.</summary>
public sealed record RuntimesSnapshot(
    IReadOnlyDictionary<RuntimeState, int> CountsByState, long TotalQueueDepth, IReadOnlyList<RuntimeInfo> Runtimes)
    : SnapshotContent
{
    /// <summary>Builds the snapshot of <paramref name="runtimes"/>, rows ordered by id.</summary>
    public static RuntimesSnapshot Of(IEnumerable<RuntimeInfo> runtimes)
    {
        var rows = runtimes.OrderBy(r => r.RuntimeId, StringComparer.Ordinal).ToArray();
        var counts = rows.GroupBy(r => r.State).ToDictionary(g => g.Key, g => g.Count());
        return new RuntimesSnapshot(counts, rows.Sum(r => r.QueueDepth), rows);
    }

    /// <summary>Only the matching runtimes, with counts recomputed over them.</summary>
    public override SnapshotContent Filter(IObservationFilter filter) =>
        filter.MatchesAll ? this : Of(Runtimes.Where(filter.Matches));
}
