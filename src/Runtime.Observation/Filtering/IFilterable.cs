namespace Runtime.Observation.Filtering;

/// <summary>
/// Something a subscription filter can look at: an observation event, a snapshot row or a runtime event.
/// Field names are the snake_case names of the contracts (<c>runtime_id</c>, <c>kind</c>, <c>destination</c>...).
/// </summary>
public interface IFilterable
{
    /// <summary>The runtime this item is about, or null when it is about none.</summary>
    string? RuntimeId { get; }

    /// <summary>The value of the label <paramref name="key"/>, or null when the item has no such label.</summary>
    string? GetLabel(string key);

    /// <summary>The value of a named field as text, or null when the item has no such field.</summary>
    string? GetField(string name);
}
