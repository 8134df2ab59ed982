using Runtime.Core.Delivery;
using Runtime.Core.Inputs;
using Runtime.Core.Runtimes;

namespace Runtime.Core.Events;

/// <summary>The category an event belongs to; probes switch categories on and off.</summary>
public enum EventCategory
{
    /// <summary>Input phase transitions.</summary>
    InputLifecycle,

    /// <summary>Runs started, completed, failed.</summary>
    RunLifecycle,

    /// <summary>Runtime created, state changed, destroyed.</summary>
    RuntimeState,

    /// <summary>Destinations and wires: created, connected, failed, reconnected, removed.</summary>
    Transport,

    /// <summary>Events reported from outside through PublishEvent.</summary>
    Published,
}

/// <summary>What happened.</summary>
public enum RuntimeEventKind
{
    /// <summary>A runtime was created.</summary>
    RuntimeCreated,

    /// <summary>A runtime moved between states.</summary>
    RuntimeStateChanged,

    /// <summary>A runtime was destroyed.</summary>
    RuntimeDestroyed,

    /// <summary>An input moved between phases.</summary>
    InputTransitioned,

    /// <summary>A run was staged and handed to its destination.</summary>
    RunStarted,

    /// <summary>A run was acknowledged and its boundary receipt written.</summary>
    RunCompleted,

    /// <summary>A run failed (its inputs are re-queued or abandoned).</summary>
    RunFailed,

    /// <summary>A destination or wire changed (topology).</summary>
    TransportChanged,

    /// <summary>An event reported by an outside party.</summary>
    Published,
}

/// <summary>
/// One thing that happened, as the domain reports it. The event stream gives it a global monotonic sequence when it
/// is published. Optional fields are null when they do not apply to the kind.
/// </summary>
public sealed record RuntimeEvent
{
    /// <summary>What happened.</summary>
    public required RuntimeEventKind Kind { get; init; }

    /// <summary>When it happened.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The runtime concerned (empty for transport-only events).</summary>
    public string RuntimeId { get; init; } = "";

    /// <summary>The input concerned.</summary>
    public string? InputId { get; init; }

    /// <summary>The run concerned.</summary>
    public string? RunId { get; init; }

    /// <summary>The destination concerned.</summary>
    public string? Destination { get; init; }

    /// <summary>The input's kind (application-defined).</summary>
    public string? InputKind { get; init; }

    /// <summary>Phase before and after, for input transitions.</summary>
    public InputPhase? FromPhase { get; init; }

    /// <inheritdoc cref="FromPhase"/>
    public InputPhase? ToPhase { get; init; }

    /// <summary>State before and after, for runtime state changes.</summary>
    public RuntimeState? FromState { get; init; }

    /// <inheritdoc cref="FromState"/>
    public RuntimeState? ToState { get; init; }

    /// <summary>The lane of the input, when one is concerned.</summary>
    public PayloadType? PayloadType { get; init; }

    /// <summary>Payload bytes concerned (input size, or a run's total).</summary>
    public long Bytes { get; init; }

    /// <summary>Latency concerned: accept-to-consume for consumed inputs, delivery time for runs.</summary>
    public TimeSpan? Latency { get; init; }

    /// <summary>Attempt number, for runs and input transitions out of a run.</summary>
    public int Attempt { get; init; }

    /// <summary>Why (abandon reason, error message, transition reason).</summary>
    public string? Reason { get; init; }

    /// <summary>Free-form attributes (published events, transport details, runtime labels when relevant).</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    /// <summary>The category probes use to switch this event on and off.</summary>
    public EventCategory Category => Kind switch
    {
        RuntimeEventKind.InputTransitioned => EventCategory.InputLifecycle,
        RuntimeEventKind.RunStarted or RuntimeEventKind.RunCompleted or RuntimeEventKind.RunFailed => EventCategory.RunLifecycle,
        RuntimeEventKind.TransportChanged => EventCategory.Transport,
        RuntimeEventKind.Published => EventCategory.Published,
        _ => EventCategory.RuntimeState,
    };
}

/// <summary>An event with the global sequence the stream gave it.</summary>
public readonly record struct SequencedEvent(long Sequence, RuntimeEvent Event);
