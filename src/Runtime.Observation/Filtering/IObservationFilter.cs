namespace Runtime.Observation.Filtering;

/// <summary>
/// A predicate over observation items. Kept this small on purpose: the analytics filters (an expression language)
/// implement it over the same <see cref="IFilterable"/> fields.
/// </summary>
public interface IObservationFilter
{
    /// <summary>True when the filter lets everything through (lets the stream share items instead of copying).</summary>
    bool MatchesAll { get; }

    /// <summary>True when <paramref name="item"/> passes the filter.</summary>
    bool Matches(IFilterable item);
}
