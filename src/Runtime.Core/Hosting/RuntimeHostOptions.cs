using Runtime.Core.Policies;

namespace Runtime.Core.Hosting;

/// <summary>Settings of the runtime host (section <c>Runtime</c> in configuration).</summary>
public sealed class RuntimeHostOptions
{
    /// <summary>Request limits; breaking one is INVALID_ARGUMENT, or RESOURCE_EXHAUSTED for quotas.</summary>
    public RuntimeLimits Limits { get; set; } = new();

    /// <summary>The policy of runtimes created without one.</summary>
    public RuntimePolicy DefaultPolicy { get; set; } = RuntimePolicy.Default;

    /// <summary>
    /// A runtime with no non-terminal input and nothing in flight is unloaded from memory after this long
    /// (it is loaded again from the ledger on its next request). Zero unloads at once.
    /// </summary>
    public TimeSpan IdleDeactivationDelay { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Limits on what callers may send.</summary>
public sealed class RuntimeLimits
{
    /// <summary>Largest payload in bytes (4 MiB).</summary>
    public int MaxPayloadBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Most headers on one input.</summary>
    public int MaxHeaders { get; set; } = 64;

    /// <summary>Longest header name.</summary>
    public int MaxHeaderNameLength { get; set; } = 256;

    /// <summary>Longest header value.</summary>
    public int MaxHeaderValueLength { get; set; } = 8 * 1024;

    /// <summary>Longest idempotency, supersession or coalesce key.</summary>
    public int MaxKeyLength { get; set; } = 256;

    /// <summary>Longest kind or content type.</summary>
    public int MaxKindLength { get; set; } = 256;

    /// <summary>Most labels on one runtime.</summary>
    public int MaxLabels { get; set; } = 64;

    /// <summary>Longest label name.</summary>
    public int MaxLabelNameLength { get; set; } = 63;

    /// <summary>Longest label value.</summary>
    public int MaxLabelValueLength { get; set; } = 256;

    /// <summary>Longest destination name.</summary>
    public int MaxDestinationLength { get; set; } = 256;

    /// <summary>Most non-terminal inputs one runtime may hold (a quota: RESOURCE_EXHAUSTED).</summary>
    public int MaxQueuedInputsPerRuntime { get; set; } = 1_000_000;

    /// <summary>Most inputs in one AcceptInputs batch.</summary>
    public int MaxAcceptBatch { get; set; } = 10_000;

    /// <summary>Most inputs one run may carry (policy.max_batch_per_run).</summary>
    public int MaxBatchPerRun { get; set; } = 10_000;

    /// <summary>Most runs a policy may keep in flight at once (policy.max_runs_in_flight).</summary>
    public int MaxRunsInFlight { get; set; } = 64;

    /// <summary>Most attempts a policy may allow (policy.max_attempts).</summary>
    public int MaxAttempts { get; set; } = 1_000;

    /// <summary>Page size when a list request gives none.</summary>
    public int DefaultPageSize { get; set; } = 100;

    /// <summary>Largest page a list request may ask for.</summary>
    public int MaxPageSize { get; set; } = 1_000;

    /// <summary>Longest retry wait a policy may set (policy.retry_backoff.initial and .max).</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Largest growth factor of a retry backoff (policy.retry_backoff.multiplier).</summary>
    public double MaxRetryMultiplier { get; set; } = 1_000;
}
