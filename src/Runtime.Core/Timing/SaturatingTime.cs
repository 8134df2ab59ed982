namespace Runtime.Core.Timing;

/// <summary>
/// Time arithmetic that saturates instead of throwing: a wait computed from a caller's policy or a destination's
/// answer may be far beyond what <see cref="DateTimeOffset"/> or a system timer can hold, and an exception there
/// would leave a runtime with a run that never ends.
/// </summary>
public static class SaturatingTime
{
    /// <summary>
    /// The longest due time a system timer accepts (4,294,967,294 ms, about 49.7 days). A longer wait arms a timer
    /// for this long; when it fires, nothing is due yet and the next one is armed for the rest.
    /// </summary>
    public static TimeSpan MaxTimerDelay { get; } = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    /// <summary><paramref name="time"/> + <paramref name="wait"/>, held within the range of <see cref="DateTimeOffset"/>.</summary>
    public static DateTimeOffset Add(DateTimeOffset time, TimeSpan wait)
    {
        var maxWait = DateTimeOffset.MaxValue - time;
        var minWait = DateTimeOffset.MinValue - time;
        return wait >= maxWait ? DateTimeOffset.MaxValue : wait <= minWait ? DateTimeOffset.MinValue : time + wait;
    }

    /// <summary>The smaller of two waits.</summary>
    public static TimeSpan Min(TimeSpan a, TimeSpan b) => a <= b ? a : b;

    /// <summary>The larger of two waits.</summary>
    public static TimeSpan Max(TimeSpan a, TimeSpan b) => a >= b ? a : b;

    /// <summary>
    /// The due time to give a timer for <paramref name="wait"/>: rounded up to a whole millisecond (system timers
    /// count whole milliseconds, so rounding up makes an early fire rarer), never negative, at most
    /// <see cref="MaxTimerDelay"/>.
    /// </summary>
    public static TimeSpan TimerDelay(TimeSpan wait)
    {
        if (wait <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        return wait >= MaxTimerDelay ? MaxTimerDelay : TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds));
    }
}
