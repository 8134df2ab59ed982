using Runtime.Observation.Filtering;

namespace Runtime.Analytics.Filters;

/// <summary>
/// A parsed filter expression (see <see cref="FilterExpressionParser"/> for the grammar). It is an
/// <see cref="IObservationFilter"/>, so it plugs into Subscribe, WatchRuntimeEvents and the analytics views alike.
/// </summary>
public sealed class FilterExpression(string text, FilterNode? root) : IObservationFilter
{
    /// <summary>The empty filter: matches everything.</summary>
    public static FilterExpression All { get; } = new("", null);

    /// <summary>The text it was parsed from (trimmed).</summary>
    public string Text { get; } = text;

    /// <summary>The expression tree; null for the empty filter.</summary>
    public FilterNode? Root { get; } = root;

    /// <inheritdoc />
    public bool MatchesAll => Root is null;

    /// <inheritdoc />
    public bool Matches(IFilterable item) => Root is null || Root.Evaluate(item);

    /// <summary>Parses <paramref name="text"/>; errors name <paramref name="field"/>.</summary>
    public static FilterExpression Parse(string? text, string field = "filter") => FilterExpressionParser.Parse(text, field);

    /// <inheritdoc />
    public override string ToString() => Text;
}
