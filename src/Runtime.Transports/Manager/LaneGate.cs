namespace Runtime.Transports.Manager;

/// <summary>
/// A counting semaphore with lanes: at most <c>capacity</c> holders; when full, a freed slot goes to the oldest
/// waiter of the most urgent lane (signal, then reliable, then latency-first). Latency-first callers only wait
/// while fewer than <c>latencyFirstBacklog</c> of them already do; otherwise they are refused at once.
/// </summary>
internal sealed class LaneGate(int capacity, int latencyFirstBacklog)
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource<bool>>[] _waiting = [new(), new(), new()];
    private int _inUse;

    /// <summary>Slots held now.</summary>
    public int InUse
    {
        get
        {
            lock (_lock)
            {
                return _inUse;
            }
        }
    }

    /// <summary>Takes a slot: true when held (release it), false when a latency-first caller was refused.</summary>
    public ValueTask<bool> EnterAsync(Lane lane, CancellationToken cancellationToken)
    {
        TaskCompletionSource<bool> waiter;
        lock (_lock)
        {
            // Below capacity there is nobody live waiting: Release hands slots straight to live waiters.
            if (_inUse < capacity)
            {
                _inUse++;
                return ValueTask.FromResult(true);
            }

            var queue = _waiting[(int)lane];
            if (lane == Lane.LatencyFirst && LiveCount(queue) >= latencyFirstBacklog)
            {
                return ValueTask.FromResult(false);
            }

            waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            queue.Enqueue(waiter);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    /// <summary>Gives a slot back: to the most urgent live waiter, or to the pool.</summary>
    public void Release()
    {
        lock (_lock)
        {
            foreach (var queue in _waiting)
            {
                while (queue.TryDequeue(out var waiter))
                {
                    if (waiter.TrySetResult(true))
                    {
                        return;
                    }
                }
            }

            _inUse--;
        }
    }

    private static async ValueTask<bool> WaitAsync(TaskCompletionSource<bool> waiter, CancellationToken cancellationToken)
    {
        await using var registration = cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken));
        return await waiter.Task;
    }

    private static int LiveCount(Queue<TaskCompletionSource<bool>> queue)
    {
        // Cancelled waiters stay queued until a release skips them; drop those at the head so they do not count.
        while (queue.TryPeek(out var head) && head.Task.IsCompleted)
        {
            queue.Dequeue();
        }

        return queue.Count(w => !w.Task.IsCompleted);
    }
}
