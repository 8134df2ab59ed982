namespace Runtime.Core.Events;

/// <summary>
/// The runtime events as the ledger keeps them: each turn's events are written with the turn, and the
/// global sequence is given at commit, in commit order. So an event exists exactly when its turn is durable, and a
/// watcher can resume from any sequence still retained, across restarts.
/// </summary>
public interface IEventLog
{
    /// <summary>
    /// Hands committed events to <paramref name="listener"/> from now on, as to every other listener. It hears
    /// <see cref="IEventLogListener.Opened"/> once the log is open (at once when it already is).
    /// </summary>
    void Listen(IEventLogListener listener);

    /// <summary>Writes events that belong to no runtime's turn (destinations and wires); completes once committed.</summary>
    Task AppendAsync(IReadOnlyList<RuntimeEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Retained events after <paramref name="afterSequence"/>, in order, at most <paramref name="maxEvents"/>. When the
    /// first one is not <paramref name="afterSequence"/> + 1, the ones between have left retention.
    /// </summary>
    Task<IReadOnlyList<SequencedEvent>> ReadAsync(long afterSequence, int maxEvents, CancellationToken cancellationToken);
}

/// <summary>Hears the events of an <see cref="IEventLog"/> as they commit.</summary>
public interface IEventLogListener
{
    /// <summary>The log is open; <paramref name="lastSequence"/> is the last sequence it holds (0 for none).</summary>
    void Opened(long lastSequence);

    /// <summary>
    /// Events just committed, in sequence order, with no sequence missing since the last call. Called on the committing
    /// thread before the commit's callers are answered: it must be quick and must not throw.
    /// </summary>
    void Committed(IReadOnlyList<SequencedEvent> events);
}
