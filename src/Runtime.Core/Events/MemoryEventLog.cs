namespace Runtime.Core.Events;

/// <summary>
/// An <see cref="IEventLog"/> in memory, for hosts without a ledger (benchmarks of the event stream alone) and tests:
/// sequences start at 1 in every process and nothing survives it. Keeps the last <paramref name="capacity"/> events.
/// </summary>
public sealed class MemoryEventLog(int capacity = 1_000_000) : IEventLog
{
    private readonly Lock _lock = new();
    private readonly Queue<SequencedEvent> _kept = new();
    private readonly List<IEventLogListener> _listeners = [];
    private long _lastSequence;

    /// <summary>The last sequence given.</summary>
    public long LastSequence
    {
        get
        {
            lock (_lock)
            {
                return _lastSequence;
            }
        }
    }

    /// <inheritdoc />
    public void Listen(IEventLogListener listener)
    {
        lock (_lock)
        {
            _listeners.Add(listener);
            listener.Opened(_lastSequence);
        }
    }

    /// <summary>Commits one event at once; returns its sequence.</summary>
    public long Publish(RuntimeEvent runtimeEvent) => Commit([runtimeEvent]);

    /// <summary>Commits events at once, in order, and hands them to the listeners.</summary>
    public void PublishAll(IReadOnlyList<RuntimeEvent> events) => Commit(events);

    /// <summary>Commits events at once, in order, hands them to the listeners and returns the last one's sequence.</summary>
    private long Commit(IReadOnlyList<RuntimeEvent> events)
    {
        lock (_lock)
        {
            var committed = new SequencedEvent[events.Count];
            for (var i = 0; i < events.Count; i++)
            {
                committed[i] = new SequencedEvent(++_lastSequence, events[i]);
                _kept.Enqueue(committed[i]);
                if (_kept.Count > capacity)
                {
                    _kept.Dequeue();
                }
            }

            if (committed.Length > 0)
            {
                foreach (var listener in _listeners)
                {
                    listener.Committed(committed);
                }
            }

            return _lastSequence;
        }
    }

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<RuntimeEvent> events, CancellationToken cancellationToken)
    {
        PublishAll(events);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SequencedEvent>> ReadAsync(long afterSequence, int maxEvents, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<SequencedEvent> events = _kept.Where(e => e.Sequence > afterSequence).Take(maxEvents).ToList();
            return Task.FromResult(events);
        }
    }
}
