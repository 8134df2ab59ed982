namespace Runtime.Transports;

/// <summary>Settings of the transport manager and its wires (configuration section <c>Runtime:Transports</c>).</summary>
public sealed class TransportOptions
{
    /// <summary>How often the health checker re-dials failed wires whose retry time has come.</summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Wait before the first re-dial of a failed wire; doubles with every failed attempt.</summary>
    public TimeSpan InitialReconnectBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between re-dials.</summary>
    public TimeSpan MaxReconnectBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Random spread of each backoff, as a fraction (0.2 = ±20%), so wires do not re-dial in lockstep.</summary>
    public double ReconnectJitter { get; set; } = 0.2;

    /// <summary>Longest a connection attempt may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest a delivery may wait for its answer (including its wait for an in-flight slot).</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most deliveries in flight on one wire (flow control); more wait, signals first.</summary>
    public int MaxInFlightPerWire { get; set; } = 128;

    /// <summary>
    /// How many latency-first deliveries may wait for a full wire; beyond that they are dropped (and counted).
    /// 0 drops them whenever the wire is at its in-flight limit.
    /// </summary>
    public int LatencyFirstBacklog { get; set; }

    /// <summary>Largest message a wire sends or accepts.</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Keep-alive ping interval of gRPC and WebSocket connections.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Positive(HealthCheckInterval, nameof(HealthCheckInterval));
        Positive(InitialReconnectBackoff, nameof(InitialReconnectBackoff));
        Positive(MaxReconnectBackoff, nameof(MaxReconnectBackoff));
        Positive(ConnectTimeout, nameof(ConnectTimeout));
        Positive(DeliveryTimeout, nameof(DeliveryTimeout));
        Positive(KeepAliveInterval, nameof(KeepAliveInterval));
        ArgumentOutOfRangeException.ThrowIfNegative(ReconnectJitter, nameof(ReconnectJitter));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ReconnectJitter, 1.0, nameof(ReconnectJitter));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxInFlightPerWire, 1, nameof(MaxInFlightPerWire));
        ArgumentOutOfRangeException.ThrowIfNegative(LatencyFirstBacklog, nameof(LatencyFirstBacklog));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageBytes, 1024, nameof(MaxMessageBytes));
    }

    private static void Positive(TimeSpan value, string name) =>
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero, name);
}
