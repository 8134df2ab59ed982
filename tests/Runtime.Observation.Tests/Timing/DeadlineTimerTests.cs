using Microsoft.Extensions.Time.Testing;
using Runtime.Observation.Tests.Support;
using Runtime.Observation.Timing;

namespace Runtime.Observation.Tests.Timing;

public sealed class DeadlineTimerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task A_wait_ends_when_the_signal_completes()
    {
        using var timer = new DeadlineTimer(_time, CancellationToken.None);
        var signal = new TaskCompletionSource();

        var wait = timer.WaitAsync(signal.Task, _time.GetUtcNow().AddSeconds(10)).AsTask();
        Assert.False(wait.IsCompleted);
        signal.SetResult();

        await Bounded.Wait(wait);
    }

    [Fact]
    public async Task A_wait_ends_at_its_deadline()
    {
        using var timer = new DeadlineTimer(_time, CancellationToken.None);
        var never = new TaskCompletionSource();

        var wait = timer.WaitAsync(never.Task, _time.GetUtcNow().AddSeconds(10)).AsTask();
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        await Bounded.Wait(wait);
    }

    [Fact]
    public async Task A_later_deadline_keeps_the_armed_timer_and_a_fired_timer_is_armed_again()
    {
        using var timer = new DeadlineTimer(_time, CancellationToken.None);
        var start = _time.GetUtcNow();

        // The first wait arms for 10 s and is woken by its signal: the timer stays armed.
        var woken = new TaskCompletionSource();
        var first = timer.WaitAsync(woken.Task, start.AddSeconds(10)).AsTask();
        woken.SetResult();
        await Bounded.Wait(first);

        // A wait for 15 s may end early, at the kept 10 s timer; the caller re-checks its clock and waits again.
        var never = new TaskCompletionSource();
        var second = timer.WaitAsync(never.Task, start.AddSeconds(15)).AsTask();
        _time.Advance(TimeSpan.FromSeconds(10));
        await Bounded.Wait(second);

        var third = timer.WaitAsync(never.Task, start.AddSeconds(15)).AsTask();
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(third.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Bounded.Wait(third);
    }

    [Fact]
    public async Task A_passed_deadline_returns_at_once_and_cancellation_throws()
    {
        using var cancellation = new CancellationTokenSource();
        using var timer = new DeadlineTimer(_time, cancellation.Token);
        var never = new TaskCompletionSource();

        await Bounded.Wait(timer.WaitAsync(never.Task, _time.GetUtcNow().AddSeconds(-1)).AsTask());

        var wait = timer.WaitAsync(never.Task, _time.GetUtcNow().AddSeconds(10)).AsTask();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Bounded.Wait(wait));
    }
}
