using Runtime.Core.Events;
using Runtime.Observation.Filtering;

namespace Runtime.Observation.Events;

/// <summary>
/// The usual watch filter: runtime ids, event kinds, and an observation filter (runtime id prefix, labels; the
/// analytics expression filters plug in here). Empty parts are not checked.
/// </summary>
public sealed record EventFilter
{
    /// <summary>Deliver only events of these runtimes.</summary>
    public IReadOnlyCollection<string> RuntimeIds { get; init; } = [];

    /// <summary>Deliver only events of these kinds.</summary>
    public IReadOnlyCollection<RuntimeEventKind> Kinds { get; init; } = [];

    /// <summary>A further filter over the event's fields.</summary>
    public IObservationFilter? Filter { get; init; }

    /// <summary>The predicate for <see cref="EventWatchRequest.Filter"/>; null when the filter passes everything.</summary>
    public Func<StreamedEvent, bool>? ToPredicate()
    {
        var runtimeIds = RuntimeIds.Count == 0 ? null : RuntimeIds.ToHashSet(StringComparer.Ordinal);
        var kinds = Kinds.Count == 0 ? null : Kinds.ToHashSet();
        var filter = Filter is { MatchesAll: false } f ? f : null;
        if (runtimeIds is null && kinds is null && filter is null)
        {
            return null;
        }

        return e => (runtimeIds is null || runtimeIds.Contains(e.Event.RuntimeId))
            && (kinds is null || kinds.Contains(e.Event.Kind))
            && (filter is null || filter.Matches(e));
    }
}
