namespace Runtime.Client;

/// <summary>Where Runtime is and how the client's helpers behave. Bind it from configuration or set it in code.</summary>
public sealed class RuntimeClientOptions
{
    /// <summary>The server's address. Default <c>http://127.0.0.1:5000</c> (h2c, the server's default).</summary>
    public Uri Address { get; set; } = new("http://127.0.0.1:5000");

    /// <summary>How resilient subscriptions reconnect.</summary>
    public ReconnectOptions Reconnect { get; set; } = new();

    /// <summary>
    /// How often <see cref="RuntimeClient.WaitForInputAsync(string, string, CancellationToken)"/> re-reads the input
    /// when no event wakes it (events can be switched off or not permitted by the caller's scope). Default 1 s.
    /// </summary>
    public TimeSpan InputPollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Backoff of resilient subscriptions. A stream that breaks after delivering messages reconnects at once; failed
/// connection attempts back off exponentially (with jitter) up to <see cref="MaxDelay"/>, like gRPC's own
/// connection backoff.
/// </summary>
public sealed class ReconnectOptions
{
    /// <summary>Delay before the first retry of a failed connection attempt. Default 200 ms.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of the delay. Default 30 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failed attempts in a row before the subscription gives up and throws. Default: never gives up
    /// (a subscription lives until its caller cancels it).</summary>
    public int MaxAttempts { get; set; } = int.MaxValue;

    /// <summary>Randomise delays so many clients do not reconnect in lockstep. Default true.</summary>
    public bool UseJitter { get; set; } = true;
}
