namespace Runtime.Core.Events;

/// <summary>
/// Where the domain reports what happens. Runtime.Observation implements it with the sequenced event stream.
/// Publishing must never block or fail the caller (accepts must not slow down because of subscribers).
/// </summary>
public interface IRuntimeEventPublisher
{
    /// <summary>Cheap check, so producers skip building events of a category that is switched off.</summary>
    bool IsEnabled(EventCategory category);

    /// <summary>Publishes one event; returns its global sequence, or 0 when its category is switched off.</summary>
    long Publish(RuntimeEvent runtimeEvent);

    /// <summary>
    /// Publishes events in order as one batch (an actor turn's events): a publisher that can should take its lock and
    /// wake its watchers once for the whole batch rather than once per event.
    /// </summary>
    void PublishAll(IReadOnlyList<RuntimeEvent> runtimeEvents)
    {
        foreach (var runtimeEvent in runtimeEvents)
        {
            Publish(runtimeEvent);
        }
    }
}

/// <summary>A publisher that drops everything: for hosts and tests that do not observe.</summary>
public sealed class NullRuntimeEventPublisher : IRuntimeEventPublisher
{
    /// <summary>The shared instance.</summary>
    public static NullRuntimeEventPublisher Instance { get; } = new();

    /// <inheritdoc />
    public bool IsEnabled(EventCategory category) => false;

    /// <inheritdoc />
    public long Publish(RuntimeEvent runtimeEvent) => 0;

    /// <inheritdoc />
    public void PublishAll(IReadOnlyList<RuntimeEvent> runtimeEvents)
    {
    }
}
