using System.Collections.Concurrent;
using System.Diagnostics;
using Runtime.Core.Events;
using Runtime.Core.Inputs;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// Listens to the server's event log in the end-to-end benchmark: hands each runtime's ACCEPTED and CONSUMED transitions
/// (heard only once their commit landed) to that runtime's <see cref="EndToEndFlow"/>. A dictionary lookup and a
/// few timestamps per event: cheap next to what is measured. Only input transitions are produced.
/// </summary>
internal sealed class EndToEndConsumption : IEventCategories, IEventLogListener
{
    private readonly ConcurrentDictionary<string, EndToEndFlow> _flows = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _wallAtStart = DateTimeOffset.UtcNow;
    private readonly long _ticksAtStart = Stopwatch.GetTimestamp();

    /// <inheritdoc />
    public bool IsEnabled(EventCategory category) => category == EventCategory.InputLifecycle;

    /// <inheritdoc />
    public void Opened(long lastSequence)
    {
    }

    /// <inheritdoc />
    public void Committed(IReadOnlyList<SequencedEvent> events)
    {
        foreach (var (_, runtimeEvent) in events)
        {
            if (runtimeEvent.Kind != RuntimeEventKind.InputTransitioned || !_flows.TryGetValue(runtimeEvent.RuntimeId, out var flow))
            {
                continue;
            }

            if (runtimeEvent is { ToPhase: InputPhase.Accepted, FromPhase: null })
            {
                flow.Accepted(ToTimestamp(runtimeEvent.Time));
            }
            else if (runtimeEvent.ToPhase == InputPhase.Consumed)
            {
                flow.Complete(1, ToTimestamp(runtimeEvent.Time));
            }
        }
    }

    /// <summary>Routes <paramref name="runtimeId"/>'s transitions to <paramref name="flow"/>.</summary>
    public void Track(string runtimeId, EndToEndFlow flow) => _flows[runtimeId] = flow;

    // Event times come from the server's TimeProvider (wall clock); map them onto the stopwatch's timeline.
    private long ToTimestamp(DateTimeOffset time) =>
        _ticksAtStart + (long)((time - _wallAtStart).TotalSeconds * Stopwatch.Frequency);
}
