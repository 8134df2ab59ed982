namespace Runtime.Core.Events;

/// <summary>
/// Which event categories are produced: probes switch them on and off, and producers skip building events of a
/// category that is off. Runtime.Observation's event stream implements it.
/// </summary>
public interface IEventCategories
{
    /// <summary>Cheap check, called for every event a producer could build.</summary>
    bool IsEnabled(EventCategory category);
}

/// <summary>Fixed answers: every category on, or none (for hosts and tests that do not observe).</summary>
public sealed class EventCategories(bool enabled) : IEventCategories
{
    /// <summary>No category is produced.</summary>
    public static EventCategories None { get; } = new(false);

    /// <summary>Every category is produced.</summary>
    public static EventCategories All { get; } = new(true);

    /// <inheritdoc />
    public bool IsEnabled(EventCategory category) => enabled;
}
