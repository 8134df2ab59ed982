namespace Runtime.Server.Tests.Transports;

/// <summary>
/// The system clock whose timers never fire before their due time by the wall clock. System timers count whole
/// milliseconds of a coarse tick, so a timer can fire up to a millisecond before <c>GetUtcNow() + dueTime</c>; the core's
/// retry timer (RuntimeActor.ArmRetryTimer) then sees the head input not yet due, keeps the already-fired timer because
/// its due time is unchanged, and the runtime stalls until something else pumps it. Reported to the lead; this clock
/// keeps the end-to-end tests about transports until the core re-arms fired timers itself.
/// </summary>
internal sealed class NoEarlyTimers : TimeProvider
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, Pad(dueTime), period);

    private static TimeSpan Pad(TimeSpan dueTime) =>
        dueTime <= TimeSpan.Zero || dueTime == Timeout.InfiniteTimeSpan
            ? dueTime
            : TimeSpan.FromMilliseconds(Math.Ceiling(dueTime.TotalMilliseconds)) + Tick;
}
