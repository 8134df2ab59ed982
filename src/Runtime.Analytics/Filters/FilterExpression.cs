using Runtime.Observation.Events;
using Runtime.Observation.Filtering;

namespace Runtime.Analytics.Filters;

/// <summary>
/// A parsed filter expression (see <see cref="FilterExpressionParser"/> for the grammar). It is an
/// <see cref="IObservationFilter"/>, so it plugs into Subscribe, WatchRuntimeEvents and the analytics views alike.
/// </summary>
public sealed class FilterExpression(string text, FilterNode? root) : IObservationFilter
{
    // Runtime events (the pump's and the event watches' items) take the compiled path; other items the tree.
    private readonly Func<StreamedEvent, bool>? _matchEvent = root?.Compile();

    /// <summary>The empty filter: matches everything.</summary>
    public static FilterExpression All { get; } = new("", null);

    /// <summary>The text it was parsed from (trimmed).</summary>
    public string Text { get; } = text;

    /// <summary>The expression tree; null for the empty filter.</summary>
    public FilterNode? Root { get; } = root;

    /// <inheritdoc />
    public bool MatchesAll => Root is null;

    /// <inheritdoc />
    public bool Matches(IFilterable item) => item is StreamedEvent e ? Matches(e) : Root is null || Root.Evaluate(item);

    /// <summary>True when the runtime event <paramref name="e"/> passes (resolved fields, no allocation).</summary>
    public bool Matches(StreamedEvent e) => _matchEvent is null || _matchEvent(e);

    /// <summary>Parses <paramref name="text"/>; errors name <paramref name="field"/>.</summary>
    public static FilterExpression Parse(string? text, string field = "filter") => FilterExpressionParser.Parse(text, field);

    /// <inheritdoc />
    public override string ToString() => Text;
}
