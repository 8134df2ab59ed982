namespace Runtime.Observation.Timing;

/// <summary>
/// One waiter's timer for a deadline that never moves earlier (a heartbeat due time that only advances, a fixed end).
/// The armed timer is kept across waits instead of being created and cancelled on every wait: when it fires before
/// the current deadline the wait simply ends early and the caller re-checks its clock. With many watchers woken
/// together, arming a timer per wake was a large share of each wake's cost.
/// </summary>
internal sealed class DeadlineTimer(TimeProvider time, CancellationToken cancellationToken) : IDisposable
{
    private readonly CancellationTokenSource _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    private Task? _armed;

    /// <summary>
    /// Waits until <paramref name="signal"/> completes or (at the latest) <paramref name="deadline"/> passes; it may end
    /// earlier, at a deadline armed by a previous wait. Throws <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public async ValueTask WaitAsync(Task signal, DateTimeOffset deadline)
    {
        if (signal.IsCompleted)
        {
            return;
        }

        if (_armed is null || _armed.IsCompleted)
        {
            _armed = TimedWait.Arm(deadline, time, _cancellation.Token);
            if (_armed is null)
            {
                return;
            }
        }

        await Task.WhenAny(signal, _armed).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Frees the armed timer.</summary>
    public void Dispose()
    {
        _cancellation.Cancel();
        _cancellation.Dispose();
    }
}
