using Runtime.Core.Events;

namespace Runtime.Transports.Tests.Support;

/// <summary>Keeps every event committed to its in-memory log and lets a test await the first one that matches.</summary>
internal sealed class RecordingEvents : IEventCategories, IEventLogListener
{
    private readonly Lock _lock = new();
    private readonly List<RuntimeEvent> _events = [];
    private readonly List<(Func<RuntimeEvent, bool> Match, TaskCompletionSource<RuntimeEvent> Done)> _waiters = [];

    public RecordingEvents() => Log.Listen(this);

    /// <summary>The log the transport manager writes to.</summary>
    public MemoryEventLog Log { get; } = new();

    /// <summary>Everything published so far.</summary>
    public IReadOnlyList<RuntimeEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

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
            foreach (var (_, runtimeEvent) in events)
            {
                _events.Add(runtimeEvent);
                foreach (var waiter in _waiters.Where(w => w.Match(runtimeEvent)).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Done.TrySetResult(runtimeEvent);
                }
            }
        }
    }

    /// <summary>The first event (already published or coming) that matches, within the test bound.</summary>
    public Task<RuntimeEvent> WaitForAsync(Func<RuntimeEvent, bool> match)
    {
        lock (_lock)
        {
            var seen = _events.FirstOrDefault(match);
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }

            var done = new TaskCompletionSource<RuntimeEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(Bounded.Timeout);
        }
    }

    /// <summary>The first wire change of <paramref name="change"/> for the wire at <paramref name="address"/>.</summary>
    public Task<RuntimeEvent> WaitForWireAsync(string address, string change, int occurrence = 1)
    {
        var seen = 0;
        return WaitForAsync(e =>
            e.Attributes is { } a && a.GetValueOrDefault("wire") == address && a["change"] == change && ++seen == occurrence);
    }
}
