using Microsoft.Extensions.Options;
using Runtime.Analytics.Persistence;
using Runtime.Core.Events;
using Runtime.Observation.Events;

namespace Runtime.Analytics.Probes;

/// <summary>
/// Switches event categories on and off at run time through <see cref="EventStream.SetEnabled"/> (off: events are
/// not produced at all) and keeps the switches in a small file in the data directory, written atomically, so they
/// survive a restart. Construction applies the saved switches.
/// </summary>
public sealed class ProbeRegistry
{
    /// <summary>The file in the data directory that holds the disabled categories.</summary>
    public const string FileName = "analytics-probes.json";

    private static readonly Dictionary<EventCategory, string> Descriptions = new()
    {
        [EventCategory.InputLifecycle] = "input phase transitions (accepted, queued, consumed, abandoned...)",
        [EventCategory.RunLifecycle] = "runs started, completed and failed",
        [EventCategory.RuntimeState] = "runtimes created, changing state, destroyed",
        [EventCategory.Transport] = "destinations and wires changing",
        [EventCategory.Published] = "events published from outside (PublishEvent)",
    };

    private readonly Lock _lock = new();
    private readonly EventStream _stream;
    private readonly string _path;

    /// <summary>Opens the registry and applies the saved switches to <paramref name="stream"/>.</summary>
    public ProbeRegistry(EventStream stream, IOptions<AnalyticsOptions> options)
    {
        _stream = stream;
        _path = Path.Combine(options.Value.DataDirectory, FileName);
        foreach (var category in Load())
        {
            stream.SetEnabled(category, enabled: false);
        }
    }

    /// <summary>Every category and its switch.</summary>
    public IReadOnlyList<ProbeState> List() =>
        [.. Enum.GetValues<EventCategory>().Select(c => new ProbeState(c, _stream.IsEnabled(c), Descriptions[c]))];

    /// <summary>Switches <paramref name="category"/> and saves the switches; returns the new state.</summary>
    public ProbeState Set(EventCategory category, bool enabled)
    {
        lock (_lock)
        {
            _stream.SetEnabled(category, enabled);
            Save([.. Enum.GetValues<EventCategory>().Where(c => !_stream.IsEnabled(c))]);
            return new ProbeState(category, enabled, Descriptions[category]);
        }
    }

    private EventCategory[] Load()
    {
        var saved = AtomicJsonFile.Read<SavedProbes>(_path);
        return [.. (saved?.Disabled ?? []).Select(name => Enum.TryParse<EventCategory>(name, out var c) ? (EventCategory?)c : null).OfType<EventCategory>()];
    }

    private void Save(EventCategory[] disabled)
    {
        AtomicJsonFile.Write(_path, new SavedProbes([.. disabled.Select(c => c.ToString())]));
    }

    private sealed record SavedProbes(string[] Disabled);
}
