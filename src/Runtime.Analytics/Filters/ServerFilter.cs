using Microsoft.Extensions.Options;
using Runtime.Analytics.Persistence;
using Runtime.Core.Errors;

namespace Runtime.Analytics.Filters;

/// <summary>The server-wide filter and its epoch, read together.</summary>
/// <param name="Expression">The filter in force.</param>
/// <param name="Epoch">Bumped by every change; every row recorded or counted after the change carries it.</param>
/// <param name="ChangedAt">When it was last changed (null before any change).</param>
public sealed record FilterState(FilterExpression Expression, long Epoch, DateTimeOffset? ChangedAt);

/// <summary>
/// The server-wide filter that the recorder and the default analytics views use. Changing it bumps the epoch, so
/// rows written before and after a change can be told apart. Built with the analytics options it keeps the filter
/// and its epoch in a small file in the data directory, written atomically before the change takes effect (the way
/// <see cref="Probes.ProbeRegistry"/> keeps the probes), so both survive a restart and epochs never repeat.
/// </summary>
public sealed class ServerFilter
{
    /// <summary>The file in the data directory that holds the filter and its epoch.</summary>
    public const string FileName = "analytics-filter.json";

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly string? _path;
    private FilterState _state = new(FilterExpression.All, 0, null);

    /// <summary>A filter kept in memory only (starts empty at epoch 0).</summary>
    public ServerFilter(TimeProvider time) => _time = time;

    /// <summary>A filter kept in <c>&lt;DataDirectory&gt;/analytics-filter.json</c>; loads the saved filter and epoch.</summary>
    public ServerFilter(TimeProvider time, IOptions<AnalyticsOptions> options)
    {
        _time = time;
        _path = Path.Combine(options.Value.DataDirectory, FileName);
        _state = Load();
    }

    /// <summary>The filter and epoch in force (one consistent pair).</summary>
    public FilterState Current => Volatile.Read(ref _state);

    /// <summary>Parses, saves and installs <paramref name="text"/>; a malformed filter changes nothing and throws INVALID_ARGUMENT.</summary>
    public FilterState Set(string? text)
    {
        var expression = FilterExpression.Parse(text);
        lock (_lock)
        {
            var next = new FilterState(expression, _state.Epoch + 1, _time.GetUtcNow());
            Save(next);
            Volatile.Write(ref _state, next);
            return next;
        }
    }

    private FilterState Load()
    {
        var saved = _path is null ? null : AtomicJsonFile.Read<SavedFilter>(_path);
        if (saved is null)
        {
            return new FilterState(FilterExpression.All, 0, null);
        }

        try
        {
            return new FilterState(FilterExpression.Parse(saved.Filter), saved.Epoch, saved.ChangedAt);
        }
        catch (RuntimeException)
        {
            // A saved filter this version no longer parses: run unfiltered under a new epoch, so rows from now on
            // are not mistaken for rows filtered by the old expression.
            var fallback = new FilterState(FilterExpression.All, saved.Epoch + 1, _time.GetUtcNow());
            Save(fallback);
            return fallback;
        }
    }

    private void Save(FilterState state)
    {
        if (_path is null)
        {
            return;
        }

        AtomicJsonFile.Write(_path, new SavedFilter(state.Expression.Text, state.Epoch, state.ChangedAt));
    }

    private sealed record SavedFilter(string Filter, long Epoch, DateTimeOffset? ChangedAt);
}
