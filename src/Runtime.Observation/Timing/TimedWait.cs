namespace Runtime.Observation.Timing;

/// <summary>Waits on a signal with a deadline taken from a <see cref="TimeProvider"/>, so tests can drive it.</summary>
internal static class TimedWait
{
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

        var remaining = deadline - time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            return false;
        }

        using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(remaining, time, delayCancellation.Token);
        var first = await Task.WhenAny(signal, delay);

        // Frees the timer when the signal won.
        await delayCancellation.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        return first == signal;
    }

    /// <summary>Waits until <paramref name="deadline"/> (returns at once when it has passed).</summary>
    public static Task UntilAsync(DateTimeOffset deadline, TimeProvider time, CancellationToken cancellationToken)
    {
        var remaining = deadline - time.GetUtcNow();
        return remaining <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(remaining, time, cancellationToken);
    }
}
