namespace Runtime.Observation.Timing;

/// <summary>Waits on a signal with a deadline taken from a <see cref="TimeProvider"/>, so tests can drive it.</summary>
internal static class TimedWait
{
    // A timer is armed relative to the clock at the moment it is created. If the clock jumps between reading it and
    // arming the timer (a manual test clock does), the timer would fire late by the jump: re-arm from the new time.
    private static readonly TimeSpan ArmTolerance = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Waits until <paramref name="signal"/> completes or <paramref name="deadline"/> passes. Returns true when the
    /// signal completed first. Deadlines are absolute, so a clock moved before the wait starts is still honoured.
    /// </summary>
    public static async ValueTask<bool> UntilAsync(
        Task signal, DateTimeOffset deadline, TimeProvider time, CancellationToken cancellationToken)
    {
        if (signal.IsCompleted)
        {
            return true;
        }

        using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (Arm(deadline, time, delayCancellation.Token) is not { } delay)
        {
            return false;
        }

        var first = await Task.WhenAny(signal, delay);

        // Frees the timer when the signal won.
        await delayCancellation.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        return first == signal || signal.IsCompleted;
    }

    /// <summary>Waits until <paramref name="deadline"/> (returns at once when it has passed).</summary>
    public static async Task UntilAsync(DateTimeOffset deadline, TimeProvider time, CancellationToken cancellationToken)
    {
        using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (Arm(deadline, time, delayCancellation.Token) is { } delay)
        {
            await delay;
        }
    }

    /// <summary>A delay that ends at <paramref name="deadline"/>; null when it has passed.</summary>
    internal static Task? Arm(DateTimeOffset deadline, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var before = time.GetUtcNow();
            var remaining = deadline - before;
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            // Held to what a timer takes: a deadline months away wakes early, and its waiter looks again.
            var delay = Task.Delay(Core.Timing.SaturatingTime.Min(remaining, Core.Timing.SaturatingTime.MaxTimerDelay), time, cancellationToken);
            if (attempt >= 3 || time.GetUtcNow() - before <= ArmTolerance)
            {
                return delay;
            }
        }
    }
}
