using Runtime.Core.Events;
using Runtime.Core.Inputs;

namespace Runtime.Server.Tests.Transports;

/// <summary>
/// Records the runtime events the server's ledger commits (a listener of its event log) and lets a test await a
/// condition over them (a real signal, re-checked on every event) instead of polling.
/// </summary>
internal sealed class EventProbe : IEventCategories, IEventLogListener
{
    private readonly Lock _lock = new();
    private readonly List<RuntimeEvent> _events = [];
    private readonly List<(Func<IReadOnlyList<RuntimeEvent>, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    /// <inheritdoc />
    public bool IsEnabled(EventCategory category) => true;

    /// <inheritdoc />
    public void Opened(long lastSequence)
    {
    }

    /// <inheritdoc />
    public void Committed(IReadOnlyList<SequencedEvent> events)
    {
        lock (_lock)
        {
            foreach (var committed in events)
            {
                _events.Add(committed.Event);
            }

            _waiters.RemoveAll(w => w.Condition(_events) && w.Done.TrySetResult());
        }
    }

    /// <summary>Everything published so far.</summary>
    public IReadOnlyList<RuntimeEvent> Snapshot()
    {
        lock (_lock)
        {
            return [.. _events];
        }
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds over the events published so far.</summary>
    public Task WaitAsync(Func<IReadOnlyList<RuntimeEvent>, bool> condition)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (condition(_events))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((condition, done));
        }

        return WithDiagnosticsAsync(done.Task);
    }

    private async Task WithDiagnosticsAsync(Task waited)
    {
        try
        {
            await waited.WaitAsync(EndToEndServer.Timeout);
        }
        catch (TimeoutException e)
        {
            // Say what did happen: the last events are usually enough to see where a delivery got stuck.
            var last = Snapshot().TakeLast(20).Select(x =>
                $"{x.Kind} {x.RuntimeId} {x.Destination} {x.InputId} {x.FromPhase}->{x.ToPhase} {x.Reason} " +
                string.Join(',', (x.Attributes ?? new Dictionary<string, string>()).Select(a => $"{a.Key}={a.Value}")));
            throw new TimeoutException("condition not met; last events:\n" + string.Join('\n', last), e);
        }
    }

    /// <summary>Waits until <paramref name="count"/> inputs of <paramref name="runtimeId"/> reached <paramref name="phase"/>.</summary>
    public Task WaitForPhaseAsync(string runtimeId, InputPhase phase, int count) =>
        WaitAsync(events => events.Count(e =>
            e.Kind == RuntimeEventKind.InputTransitioned && e.RuntimeId == runtimeId && e.ToPhase == phase) >= count);

    /// <summary>How many events were published so far (a mark to wait for later events from).</summary>
    public int Mark()
    {
        lock (_lock)
        {
            return _events.Count;
        }
    }

    /// <summary>
    /// Waits until a transport event published after <paramref name="mark"/> reports a wire of
    /// <paramref name="destination"/> in <paramref name="state"/>.
    /// </summary>
    public Task WaitForWireAsync(string destination, string state, int mark = 0) =>
        WaitAsync(events => events.Skip(mark).Any(e => e.Kind == RuntimeEventKind.TransportChanged &&
            e.Destination == destination && e.Attributes is { } a && a.TryGetValue("state", out var s) && s == state));
}
