using Runtime.Core.Policies;
using Runtime.Core.Timing;

namespace Runtime.Core.Tests.Timing;

public sealed class SaturatingTimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Sums_beyond_the_calendar_hold_at_its_ends()
    {
        Assert.Equal(DateTimeOffset.MaxValue, SaturatingTime.Add(Now, TimeSpan.MaxValue));
        Assert.Equal(DateTimeOffset.MinValue, SaturatingTime.Add(Now, TimeSpan.MinValue));
        Assert.Equal(Now.AddDays(60), SaturatingTime.Add(Now, TimeSpan.FromDays(60)));
    }

    [Fact]
    public void Timer_delays_are_whole_milliseconds_within_what_a_system_timer_takes()
    {
        Assert.Equal(TimeSpan.Zero, SaturatingTime.TimerDelay(TimeSpan.FromSeconds(-5)));
        Assert.Equal(TimeSpan.FromMilliseconds(2), SaturatingTime.TimerDelay(TimeSpan.FromTicks(10_001)));
        Assert.Equal(SaturatingTime.MaxTimerDelay, SaturatingTime.TimerDelay(TimeSpan.FromDays(60)));
        Assert.Equal(SaturatingTime.MaxTimerDelay, SaturatingTime.TimerDelay(TimeSpan.MaxValue));

        // The system timer itself accepts the largest delay.
        using var timer = TimeProvider.System.CreateTimer(_ => { }, null, SaturatingTime.MaxTimerDelay, Timeout.InfiniteTimeSpan);
    }

    [Theory]
    [InlineData(1e308)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void Backoff_with_an_enormous_multiplier_is_its_max(double multiplier)
    {
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), multiplier);

        Assert.Equal(TimeSpan.FromMinutes(5), backoff.DelayAfter(40));
        Assert.Equal(TimeSpan.FromMinutes(5), backoff.WaitAfter(40, null));
    }

    [Fact]
    public void A_destinations_retry_after_counts_when_longer_and_is_held_to_the_cap()
    {
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), 2);

        Assert.Equal(TimeSpan.FromSeconds(30), backoff.WaitAfter(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.WaitAfter(1, TimeSpan.FromMilliseconds(10)));
        Assert.Equal(RetryBackoff.MaxRetryAfter, backoff.WaitAfter(1, TimeSpan.FromDays(60)));
        Assert.Equal(RetryBackoff.MaxRetryAfter, backoff.WaitAfter(1, TimeSpan.MaxValue));
    }
}
