namespace Runtime.SampleSink;

/// <summary>
/// Faults the sink injects, from configuration (<c>Sink:Faults</c>) or <c>POST /faults</c>. Refusals (error rate,
/// fixed status) happen before a delivery is applied; drops happen after (the answer is lost, as in a crash
/// between applying and acknowledging), so a redelivery shows up as a duplicate.
/// </summary>
public sealed record FaultSettings
{
    /// <summary>Fraction (0-1) of deliveries answered with a retry (HTTP 503).</summary>
    public double ErrorRate { get; init; }

    /// <summary>Delay before each answer, in milliseconds.</summary>
    public int LatencyMs { get; init; }

    /// <summary>Fraction (0-1) of deliveries after which the connection is dropped without an answer.</summary>
    public double DropRate { get; init; }

    /// <summary>Drop the connection after each of the next this many deliveries.</summary>
    public int DropNext { get; init; }

    /// <summary>
    /// Answer with this HTTP status instead (429/5xx: retry; other 4xx: rejected; on gRPC and WebSocket wires the
    /// matching acknowledgement status).
    /// </summary>
    public int? Status { get; init; }

    /// <summary>How many deliveries get <see cref="Status"/>; 0 means every one.</summary>
    public int StatusCount { get; init; }

    /// <summary>Sent with retry answers (HTTP <c>Retry-After</c>, or <c>retry_after</c> on the stream wires).</summary>
    public int RetryAfterSeconds { get; init; }
}

/// <summary>What to do with one delivery.</summary>
/// <param name="Delay">Wait this long first.</param>
/// <param name="Status">Refuse with this HTTP status (null: apply it).</param>
/// <param name="Drop">Apply it, then drop the connection without answering.</param>
/// <param name="RetryAfter">Retry-After to send with a retry.</param>
public readonly record struct FaultDecision(TimeSpan Delay, int? Status, bool Drop, TimeSpan? RetryAfter);

/// <summary>Decides, delivery by delivery, which fault to inject. Thread-safe; settings can change at run time.</summary>
public sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private FaultSettings _settings;
    private int _statusLeft;
    private int _dropLeft;

    /// <summary>Starts with <paramref name="settings"/>.</summary>
    public FaultInjector(FaultSettings settings)
    {
        _settings = settings;
        Apply(settings);
    }

    /// <summary>The settings in force.</summary>
    public FaultSettings Settings
    {
        get
        {
            lock (_lock)
            {
                return _settings;
            }
        }
    }

    /// <summary>Replaces the settings (counts such as <see cref="FaultSettings.DropNext"/> start over).</summary>
    public void Update(FaultSettings settings)
    {
        lock (_lock)
        {
            _settings = settings;
            Apply(settings);
        }
    }

    /// <summary>The fault for the next delivery.</summary>
    public FaultDecision Next()
    {
        lock (_lock)
        {
            var s = _settings;
            var delay = TimeSpan.FromMilliseconds(Math.Max(0, s.LatencyMs));
            TimeSpan? retryAfter = s.RetryAfterSeconds > 0 ? TimeSpan.FromSeconds(s.RetryAfterSeconds) : null;
            if (s.Status is { } status && (s.StatusCount == 0 || _statusLeft > 0))
            {
                _statusLeft--;
                return new FaultDecision(delay, status, false, retryAfter);
            }

            if (s.ErrorRate > 0 && Random.Shared.NextDouble() < s.ErrorRate)
            {
                return new FaultDecision(delay, 503, false, retryAfter);
            }

            var drop = _dropLeft > 0 || (s.DropRate > 0 && Random.Shared.NextDouble() < s.DropRate);
            if (_dropLeft > 0)
            {
                _dropLeft--;
            }

            return new FaultDecision(delay, null, drop, null);
        }
    }

    private void Apply(FaultSettings settings)
    {
        _statusLeft = settings.StatusCount;
        _dropLeft = settings.DropNext;
    }
}
