namespace Runtime.Analytics.Filters;

/// <summary>The server-wide filter and its epoch, read together.</summary>
/// <param name="Expression">The filter in force.</param>
/// <param name="Epoch">Bumped by every change; every row recorded or counted after the change carries it.</param>
/// <param name="ChangedAt">When it was last changed (null before any change).</param>
public sealed record FilterState(FilterExpression Expression, long Epoch, DateTimeOffset? ChangedAt);

/// <summary>
/// The server-wide filter that the recorder and the default analytics views use. Changing it bumps the epoch, so
/// rows written before and after a change can be told apart.
/// </summary>
public sealed class ServerFilter(TimeProvider time)
{
    private readonly Lock _lock = new();
    private FilterState _state = new(FilterExpression.All, 0, null);

    /// <summary>The filter and epoch in force (one consistent pair).</summary>
    public FilterState Current => Volatile.Read(ref _state);

    /// <summary>Parses and installs <paramref name="text"/>; a malformed filter changes nothing and throws INVALID_ARGUMENT.</summary>
    public FilterState Set(string? text)
    {
        var expression = FilterExpression.Parse(text);
        lock (_lock)
        {
            var next = new FilterState(expression, _state.Epoch + 1, time.GetUtcNow());
            Volatile.Write(ref _state, next);
            return next;
        }
    }
}
