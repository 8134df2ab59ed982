namespace Runtime.Observation.Filtering;

/// <summary>
/// The standard filter: an exact runtime id, a runtime id prefix and label equality (every given label must be
/// present and equal). Items that carry no runtime id pass only when no id or prefix is given; items without labels
/// pass only when no label is asked for. An empty filter passes everything. <see cref="FilterParser"/> reads it from
/// text.
/// </summary>
public sealed class RuntimeFilter : IObservationFilter
{
    private readonly KeyValuePair<string, string>[] _labels;

    /// <summary>Creates a filter; null or empty parts are not checked.</summary>
    public RuntimeFilter(string? runtimeIdPrefix = null, IReadOnlyDictionary<string, string>? labels = null, string? runtimeId = null)
    {
        RuntimeIdPrefix = string.IsNullOrEmpty(runtimeIdPrefix) ? null : runtimeIdPrefix;
        RuntimeId = string.IsNullOrEmpty(runtimeId) ? null : runtimeId;
        _labels = labels is null ? [] : [.. labels];
    }

    /// <summary>A filter that passes everything.</summary>
    public static RuntimeFilter All { get; } = new();

    /// <summary>The exact runtime id, or null.</summary>
    public string? RuntimeId { get; }

    /// <summary>The runtime id prefix, or null.</summary>
    public string? RuntimeIdPrefix { get; }

    /// <summary>The labels that must match.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels => _labels;

    /// <inheritdoc />
    public bool MatchesAll => RuntimeId is null && RuntimeIdPrefix is null && _labels.Length == 0;

    /// <inheritdoc />
    public bool Matches(IFilterable item)
    {
        if (RuntimeId is not null && !string.Equals(item.RuntimeId, RuntimeId, StringComparison.Ordinal))
        {
            return false;
        }

        if (RuntimeIdPrefix is not null
            && (item.RuntimeId is not { } runtimeId || !runtimeId.StartsWith(RuntimeIdPrefix, StringComparison.Ordinal)))
        {
            return false;
        }

        foreach (var (key, value) in _labels)
        {
            if (!string.Equals(item.GetLabel(key), value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
