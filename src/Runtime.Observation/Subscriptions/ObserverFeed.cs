using Runtime.Observation.Observers;

namespace Runtime.Observation.Subscriptions;

/// <summary>
/// One subscription's attachment to one observer. The runner offers it each batch under the runner's lock; when the
/// subscription's buffer is full the feed is suspended (nothing more is queued, drops are counted) until the reader
/// catches up and re-attaches from its cursor.
/// </summary>
internal sealed class ObserverFeed(Subscription owner, ObserverRunner runner)
{
    private volatile bool _suspended;
    private long _cursor;

    /// <summary>The observer's runner.</summary>
    public ObserverRunner Runner { get; } = runner;

    /// <summary>True when batches are being dropped for this feed until it resynchronises.</summary>
    public bool Suspended => _suspended;

    /// <summary>The last cycle handed to the reader; live batches at or before it are repeats.</summary>
    public long Cursor => Volatile.Read(ref _cursor);

    /// <summary>Re-enables the feed from <paramref name="cursor"/> (called under the runner's lock).</summary>
    public void Resume(long cursor)
    {
        Volatile.Write(ref _cursor, cursor);
        _suspended = false;
    }

    /// <summary>The reader took the batch of <paramref name="cycle"/>.</summary>
    public void Advance(long cycle) => Volatile.Write(ref _cursor, cycle);

    /// <summary>Queues a live batch, or suspends the feed when the buffer is full (called under the runner's lock).</summary>
    public void Offer(ObservationBatch batch)
    {
        if (!_suspended && owner.TryBuffer(batch))
        {
            return;
        }

        if (!_suspended)
        {
            _suspended = true;
            owner.CountOverflow();
        }

        owner.CountDropped();
    }

    /// <summary>
    /// Queues a failure notice when there is room (called under the runner's lock). A full buffer drops it: the
    /// failure stays visible in the observer's status, and the batches that matter are resynchronised anyway.
    /// </summary>
    public void Offer(ObserverFailed notice)
    {
        if (_suspended || !owner.TryBuffer(notice))
        {
            owner.CountDropped();
        }
    }
}
