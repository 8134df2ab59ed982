using System.Text;
using Runtime.Core.Delivery;
using Runtime.Core.Hosting;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;
using Runtime.Core.Runtimes;
using Runtime.Core.Tests.Support;

namespace Runtime.Core.Tests.Hosting;

public sealed class RetryTests
{
    private static readonly RuntimePolicy Retrying = RuntimePolicy.Default with
    {
        MaxAttempts = 3,
        RetryBackoff = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), 2.0),
    };

    private static readonly DeliveryResult Retryable = new(DeliveryStatus.RetryableFailure, "boom");

    [Fact]
    public void Backoff_grows_by_the_multiplier_and_is_capped()
    {
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 3.0);

        Assert.Equal(
            [1, 3, 9, 10, 10],
            Enumerable.Range(1, 5).Select(n => backoff.DelayAfter(n).TotalSeconds));
    }

    [Fact]
    public async Task Failed_run_requeues_with_a_stored_retry_time_and_delivers_when_it_is_due()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: InProcessDeliveryPort.FailSink, policy: Retrying);
        var start = f.Time.GetUtcNow();
        f.Port.Register(InProcessDeliveryPort.FailSink, (_, _) => ValueTask.FromResult(DeliveryResult.Acked));
        f.Port.Script(InProcessDeliveryPort.FailSink, Retryable);

        var accepted = await f.Host.AcceptInputAsync("rt", HostFixture.Input("x"));
        await f.SettleAsync("rt");

        var waiting = await f.Host.GetInputStateAsync("rt", accepted.InputId);
        Assert.Equal(InputPhase.Queued, waiting.Phase);
        Assert.Equal(1, waiting.AttemptCount);
        Assert.Equal("boom", waiting.LastError);
        Assert.Equal(start + TimeSpan.FromSeconds(1), waiting.NextAttemptAt);
        Assert.Equal(start.AddSeconds(1).UtcTicks, f.Count("SELECT next_attempt_at FROM input_states WHERE position = 1"));

        f.Time.Advance(TimeSpan.FromMilliseconds(999));
        await f.SettleAsync("rt");
        Assert.Equal(InputPhase.Queued, (await f.Host.GetInputStateAsync("rt", accepted.InputId)).Phase);

        f.Time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitForPhase(f, "rt", accepted.InputId, InputPhase.Consumed);
        var done = await f.Host.GetInputStateAsync("rt", accepted.InputId);
        Assert.Equal(2, done.AttemptCount);
        Assert.Null(done.NextAttemptAt);
    }

    [Fact]
    public async Task A_retry_timer_that_fires_early_is_armed_again_and_the_input_is_delivered_when_due()
    {
        await using var f = await HostFixture.StartAsync(clock: fake => new EarlyTimers(fake));
        await f.CreateAsync("rt", destination: InProcessDeliveryPort.FailSink, policy: Retrying);
        f.Port.Register(InProcessDeliveryPort.FailSink, (_, _) => ValueTask.FromResult(DeliveryResult.Acked));
        f.Port.Script(InProcessDeliveryPort.FailSink, Retryable);

        var accepted = await f.Host.AcceptInputAsync("rt", HostFixture.Input("x"));
        await f.SettleAsync("rt");

        // The timer for the retry due in 1 s fires at 999 ms: the input is not due yet and stays queued.
        f.Time.Advance(TimeSpan.FromMilliseconds(999));
        await f.SettleAsync("rt");
        Assert.Equal(InputPhase.Queued, (await f.Host.GetInputStateAsync("rt", accepted.InputId)).Phase);

        f.Time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitForPhase(f, "rt", accepted.InputId, InputPhase.Consumed);
        Assert.Equal(2, (await f.Host.GetInputStateAsync("rt", accepted.InputId)).AttemptCount);
    }

    [Fact]
    public async Task Attempts_run_out_into_abandoned_max_attempts_exhausted()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: InProcessDeliveryPort.FailSink, policy: Retrying);

        var accepted = await f.Host.AcceptInputAsync("rt", HostFixture.Input("x"));
        await f.SettleAsync("rt");
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await WaitForAttempts(f, "rt", accepted.InputId, 2);
        f.Time.Advance(TimeSpan.FromSeconds(2));
        await WaitForPhase(f, "rt", accepted.InputId, InputPhase.Abandoned);

        var state = await f.Host.GetInputStateAsync("rt", accepted.InputId);
        Assert.Equal(AbandonReason.MaxAttemptsExhausted, state.AbandonReason);
        Assert.Equal(3, state.AttemptCount);
        Assert.Equal((3, 3), f.Port.Received(InProcessDeliveryPort.FailSink));
    }

    [Fact]
    public async Task Per_input_max_attempts_overrides_the_policy()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: InProcessDeliveryPort.FailSink, policy: Retrying);

        var accepted = await f.Host.AcceptInputAsync("rt", HostFixture.Input("x") with { MaxAttempts = 1 });
        await WaitForPhase(f, "rt", accepted.InputId, InputPhase.Abandoned);

        Assert.Equal(AbandonReason.MaxAttemptsExhausted, (await f.Host.GetInputStateAsync("rt", accepted.InputId)).AbandonReason);
    }

    [Fact]
    public async Task Permanent_failure_abandons_at_once_as_never_executed()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: InProcessDeliveryPort.FailSink, policy: Retrying);
        f.Port.Script(InProcessDeliveryPort.FailSink, new DeliveryResult(DeliveryStatus.PermanentFailure, "400 bad request"));

        var accepted = await f.Host.AcceptInputAsync("rt", HostFixture.Input("x"));
        await WaitForPhase(f, "rt", accepted.InputId, InputPhase.Abandoned);

        var state = await f.Host.GetInputStateAsync("rt", accepted.InputId);
        Assert.Equal(AbandonReason.NeverExecuted, state.AbandonReason);
        Assert.Equal("400 bad request", state.LastError);
    }

    [Fact]
    public async Task Fifo_order_is_kept_across_retries()
    {
        await using var f = await HostFixture.StartAsync();
        var delivered = new List<string>();
        var failFirst = 1;
        f.Port.Register("inproc:flaky", (run, _) =>
        {
            lock (delivered)
            {
                if (failFirst-- > 0)
                {
                    return ValueTask.FromResult(Retryable);
                }

                delivered.AddRange(run.Items.Select(i => Encoding.UTF8.GetString(i.Payload.Span)));
                return ValueTask.FromResult(DeliveryResult.Acked);
            }
        });
        await f.CreateAsync("rt", destination: "", policy: Retrying with { MaxBatchPerRun = 1 });
        await f.Host.AcceptInputsAsync("rt", [HostFixture.Input("1"), HostFixture.Input("2"), HostFixture.Input("3")]);

        await f.Host.BindDestinationAsync("rt", "inproc:flaky");
        await f.SettleAsync("rt");
        Assert.Empty(delivered); // "1" waits for its retry and "2", "3" wait behind it
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await WaitUntil(f, "rt", async () => (await f.Host.GetRuntimeAsync("rt")).PhaseCounts[InputPhase.Consumed] == 3);

        lock (delivered)
        {
            Assert.Equal(["1", "2", "3"], delivered);
        }
    }

    [Fact]
    public async Task Retry_timers_survive_a_restart()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: InProcessDeliveryPort.FailSink, policy: Retrying);
        f.Port.Script(InProcessDeliveryPort.FailSink, Retryable);
        var accepted = await f.Host.AcceptInputAsync("rt", HostFixture.Input("x"));
        await f.SettleAsync("rt");
        f.Port.Register(InProcessDeliveryPort.FailSink, (_, _) => ValueTask.FromResult(DeliveryResult.Acked));

        await f.RestartAsync();
        await f.SettleAsync("rt");
        Assert.Equal(InputPhase.Queued, (await f.Host.GetInputStateAsync("rt", accepted.InputId)).Phase);
        f.Time.Advance(TimeSpan.FromSeconds(1));

        await WaitForPhase(f, "rt", accepted.InputId, InputPhase.Consumed);
    }

    [Theory]
    [InlineData(60 * 86_400.0)]
    [InlineData(double.MaxValue)]
    public async Task A_retry_after_of_months_waits_the_cap_and_leaves_the_runtime_usable(double retryAfterSeconds)
    {
        // Timers that refuse what a system timer refuses (a due time over ~49.7 days), as in production.
        await using var f = await HostFixture.StartAsync(clock: fake => new SystemTimerLimits(fake));
        await f.CreateAsync("rt", destination: InProcessDeliveryPort.FailSink, policy: Retrying);
        var retryAfter = retryAfterSeconds >= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue : TimeSpan.FromSeconds(retryAfterSeconds);
        f.Port.Script(InProcessDeliveryPort.FailSink, new DeliveryResult(DeliveryStatus.RetryableFailure, "busy", retryAfter));
        var start = f.Time.GetUtcNow();

        var accepted = await f.Host.AcceptInputAsync("rt", HostFixture.Input("x"));
        await WaitForAttempts(f, "rt", accepted.InputId, 1);

        var waiting = await f.Host.GetInputStateAsync("rt", accepted.InputId);
        Assert.Equal(InputPhase.Queued, waiting.Phase);
        Assert.Equal(start + RetryBackoff.MaxRetryAfter, waiting.NextAttemptAt);
        Assert.Null((await f.Host.GetRuntimeStateAsync("rt")).CurrentRunId);
        var reset = await f.Host.ResetRuntimeAsync("rt");
        Assert.Equal(1, reset.InputsAbandoned);
    }

    [Fact]
    public async Task A_backoff_beyond_what_a_timer_holds_re_arms_until_due_and_then_delivers()
    {
        // A runtime whose policy predates the limit on backoffs (the limit is lifted here to create one).
        var options = new RuntimeHostOptions { IdleDeactivationDelay = TimeSpan.FromMinutes(10) };
        options.Limits.MaxRetryBackoff = TimeSpan.FromDays(3650);
        await using var f = await HostFixture.StartAsync(options, clock: fake => new SystemTimerLimits(fake));
        var policy = Retrying with { RetryBackoff = new RetryBackoff(TimeSpan.FromDays(60), TimeSpan.FromDays(60), 1) };
        await f.CreateAsync("rt", destination: InProcessDeliveryPort.FailSink, policy: policy);
        f.Port.Register(InProcessDeliveryPort.FailSink, (_, _) => ValueTask.FromResult(DeliveryResult.Acked));
        f.Port.Script(InProcessDeliveryPort.FailSink, Retryable);

        var accepted = await f.Host.AcceptInputAsync("rt", HostFixture.Input("x"));
        await WaitForAttempts(f, "rt", accepted.InputId, 1);
        Assert.Equal(InputPhase.Queued, (await f.Host.GetInputStateAsync("rt", accepted.InputId)).Phase);

        // The first timer holds ~49.7 days; it fires, nothing is due, the next one covers the rest.
        f.Time.Advance(TimeSpan.FromDays(50));
        await f.SettleAsync("rt");
        Assert.Equal(InputPhase.Queued, (await f.Host.GetInputStateAsync("rt", accepted.InputId)).Phase);
        f.Time.Advance(TimeSpan.FromDays(10));
        await WaitForPhase(f, "rt", accepted.InputId, InputPhase.Consumed);
    }

    internal static Task WaitForPhase(HostFixture f, string runtimeId, string inputId, InputPhase phase) =>
        WaitUntil(f, runtimeId, async () => (await f.Host.GetInputStateAsync(runtimeId, inputId)).Phase == phase);

    private static Task WaitForAttempts(HostFixture f, string runtimeId, string inputId, int attempts) =>
        WaitUntil(f, runtimeId, async () => (await f.Host.GetInputStateAsync(runtimeId, inputId)).AttemptCount >= attempts &&
                                            (await f.Host.GetRuntimeAsync(runtimeId)).State != RuntimeState.Running);

    /// <summary>Settles the runtime and checks, a bounded number of times (timer callbacks post asynchronously).</summary>
    internal static async Task WaitUntil(HostFixture f, string runtimeId, Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            await f.SettleAsync(runtimeId);
            if (await condition())
            {
                return;
            }

            await Task.Yield();
        }

        Assert.Fail("condition not reached after 200 settles");
    }
}

/// <summary>A fake clock whose timers fire a millisecond before their due time, as system timers may.</summary>
internal sealed class EarlyTimers(TimeProvider inner) : TimeProvider
{
    private static readonly TimeSpan Early = TimeSpan.FromMilliseconds(1);

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime > Early ? dueTime - Early : dueTime, period);
}

/// <summary>Timers with the system timer's limit: a due time over 4,294,967,294 ms throws.</summary>
internal sealed class SystemTimerLimits(TimeProvider inner) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dueTime.TotalMilliseconds, uint.MaxValue - 1.0, nameof(dueTime));
        return inner.CreateTimer(callback, state, dueTime, period);
    }
}
