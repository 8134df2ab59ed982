using Runtime.Observation.Filtering;

namespace Runtime.Observation.Observers;

/// <summary>
/// A delta event an observer reports in a cycle. Concrete events are small records (see the built-in observers);
/// the base carries what filters look at.
/// </summary>
public abstract record ObservationEvent : IFilterable
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    /// <summary>A stable snake_case name of the event kind (for example <c>runtime_created</c>).</summary>
    public abstract string Kind { get; }

    /// <summary>The runtime the event is about, or null.</summary>
    public string? RuntimeId { get; init; }

    /// <summary>Labels of the thing the event is about (a runtime's labels), for filtering.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = NoLabels;

    /// <summary>What the event is about, as one string (a runtime id, a destination name); empty when global.</summary>
    public virtual string Subject => RuntimeId ?? "";

    /// <summary>
    /// The event's own fields as text, for transports that carry events as key/value data (snake_case keys).
    /// </summary>
    public virtual IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>();

    /// <inheritdoc />
    public string? GetLabel(string key) => Labels.TryGetValue(key, out var value) ? value : null;

    /// <inheritdoc />
    public virtual string? GetField(string name) => name switch
    {
        "kind" => Kind,
        "runtime_id" => RuntimeId,
        _ => null,
    };
}
