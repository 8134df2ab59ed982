using Runtime.Core.Events;
using Runtime.Observation.Filtering;

namespace Runtime.Observation.Events;

/// <summary>
/// A runtime event as the stream holds it: its global sequence, the event, and a slot for its encoded form so
/// every watcher that receives it shares one encoding.
/// </summary>
public sealed class StreamedEvent(long sequence, RuntimeEvent runtimeEvent) : IFilterable
{
    private object? _encoded;

    /// <summary>The global monotonic sequence (continues across restarts).</summary>
    public long Sequence { get; } = sequence;

    /// <summary>What happened.</summary>
    public RuntimeEvent Event { get; } = runtimeEvent;

    /// <inheritdoc />
    public string? RuntimeId => Event.RuntimeId.Length == 0 ? null : Event.RuntimeId;

    /// <summary>The sequence and event as the domain's plain pair.</summary>
    public SequencedEvent ToSequenced() => new(Sequence, Event);

    /// <summary>Returns this event's encoded form, encoding it once on first use (thread-safe).</summary>
    public T GetOrAddEncoded<T>(Func<T> encode)
        where T : class => EncodedSlot.GetOrAdd(ref _encoded, encode);

    /// <summary>Labels of a runtime event travel in its attributes.</summary>
    public string? GetLabel(string key) =>
        Event.Attributes is { } attributes && attributes.TryGetValue(key, out var value) ? value : null;

    /// <inheritdoc />
    public string? GetField(string name) => name switch
    {
        "runtime_id" => RuntimeId,
        "kind" => Event.Kind.ToString(),
        "category" => Event.Category.ToString(),
        "input_id" => Event.InputId,
        "run_id" => Event.RunId,
        "destination" => Event.Destination,
        "input_kind" => Event.InputKind,
        "from_phase" => Event.FromPhase?.ToString(),
        "to_phase" => Event.ToPhase?.ToString(),
        "from_state" => Event.FromState?.ToString(),
        "to_state" => Event.ToState?.ToString(),
        "reason" => Event.Reason,
        _ => null,
    };
}
