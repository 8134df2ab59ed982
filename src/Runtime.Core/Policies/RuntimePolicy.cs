using Runtime.Core.Timing;

namespace Runtime.Core.Policies;

/// <summary>How a runtime orders and merges its queued inputs.</summary>
public enum QueueMode
{
    /// <summary>First accepted, first delivered; retries keep their place.</summary>
    Fifo,

    /// <summary>Higher <c>priority</c> first, then accept order.</summary>
    Priority,

    /// <summary>
    /// FIFO, and an input whose coalesce key matches a still-queued input merges into it: the newcomer ends
    /// COALESCED and the queued one is delivered once for both.
    /// </summary>
    Coalesce,

    /// <summary>FIFO, and an input with a supersession key ends every older queued input with that key SUPERSEDED.</summary>
    Supersede,
}

/// <summary>When an input counts as consumed.</summary>
public enum ConsumePoint
{
    /// <summary>
    /// At accept: the input is recorded (ACCEPTED → CONSUMED, DESIGN's "policy ignore" path) and never delivered.
    /// For record-only runtimes (audit trails, ledgers that others read back).
    /// </summary>
    OnAccept,

    /// <summary>When the destination acknowledges the delivery: the boundary receipt and CONSUMED are one commit.</summary>
    OnApply,

    /// <summary>
    /// The destination's acknowledgement applies the inputs (receipt written, APPLIED) and the run stays open until
    /// an outside party reports it completed (→ CONSUMED) or failed (→ ABANDONED) through PublishEvent.
    /// The runtime starts no other run meanwhile, so runs complete in order.
    /// </summary>
    OnRunComplete,

    /// <summary>
    /// The acknowledgement moves the inputs to APPLIED_PENDING_CONSUMPTION; each is consumed by an explicit ack
    /// (PublishEvent). The runtime goes on with its next run meanwhile.
    /// </summary>
    ExplicitAck,
}

/// <summary>Exponential backoff between delivery attempts of one input: <c>initial × multiplier^(attempt-1)</c>, capped.</summary>
public sealed record RetryBackoff(TimeSpan Initial, TimeSpan Max, double Multiplier)
{
    /// <summary>One second, doubling, at most five minutes.</summary>
    public static RetryBackoff Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), 2.0);

    /// <summary>The longest wait a destination's Retry-After may impose (longer answers are held to this).</summary>
    public static TimeSpan MaxRetryAfter { get; } = TimeSpan.FromHours(1);

    /// <summary>The wait before attempt <paramref name="failedAttempts"/> + 1.</summary>
    public TimeSpan DelayAfter(int failedAttempts)
    {
        var factor = Math.Pow(Multiplier, Math.Max(0, failedAttempts - 1));
        var ticks = Initial.Ticks * factor;
        return ticks >= Max.Ticks || !double.IsFinite(ticks) ? Max : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>
    /// The wait before attempt <paramref name="failedAttempts"/> + 1 when the destination asked for
    /// <paramref name="retryAfter"/>: the longer of the two, the destination's held to <see cref="MaxRetryAfter"/>.
    /// </summary>
    public TimeSpan WaitAfter(int failedAttempts, TimeSpan? retryAfter)
    {
        var backoff = DelayAfter(failedAttempts);
        return retryAfter is { } asked ? SaturatingTime.Max(backoff, SaturatingTime.Min(asked, MaxRetryAfter)) : backoff;
    }
}

/// <summary>How a runtime queues, batches, retries and consumes its inputs.</summary>
public sealed record RuntimePolicy
{
    /// <summary>FIFO, consumed on apply, 100 inputs per run, 5 attempts, default backoff.</summary>
    public static RuntimePolicy Default { get; } = new();

    /// <summary>Ordering and merging of queued inputs.</summary>
    public QueueMode QueueMode { get; init; } = QueueMode.Fifo;

    /// <summary>When an input counts as consumed (inputs may override it).</summary>
    public ConsumePoint ConsumePoint { get; init; } = ConsumePoint.OnApply;

    /// <summary>The most inputs one run carries.</summary>
    public int MaxBatchPerRun { get; init; } = 100;

    /// <summary>Delivery attempts before an input is ABANDONED with MAX_ATTEMPTS_EXHAUSTED (inputs may override it).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Wait between attempts.</summary>
    public RetryBackoff RetryBackoff { get; init; } = RetryBackoff.Default;

    /// <summary>
    /// Runs delivered at once (pipelining): a busy runtime stages the next run while earlier ones are still being
    /// delivered, so it is not bound by one delivery round trip per run. Receipts still commit in staging order, and a
    /// run that fails sends every later run's inputs back to the queue behind its own, so the ledger keeps FIFO order
    /// across retries; the destination may already have received those later runs once (at-least-once). 1, the
    /// default, never lets a destination see an input before an earlier one's retry. Runs that await their completion
    /// (ON_RUN_COMPLETE) are not pipelined.
    /// </summary>
    public int MaxRunsInFlight { get; init; } = 1;
}
