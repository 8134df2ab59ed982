namespace Runtime.Core.Delivery;

/// <summary>One input inside a run, as the destination receives it.</summary>
public sealed record DeliveryItem(
    string InputId,
    string Kind,
    ReadOnlyMemory<byte> Payload,
    string ContentType,
    IReadOnlyDictionary<string, string> Headers,
    PayloadType PayloadType);

/// <summary>
/// A run handed to a destination. <see cref="RunId"/> plus each item's input id is the dedupe key a destination
/// uses to drop repeats: delivery is at-least-once, consumption in the ledger is exactly-once.
/// </summary>
public sealed record RunDelivery(
    string RuntimeId,
    string RunId,
    string Destination,
    int Attempt,
    IReadOnlyList<DeliveryItem> Items);

/// <summary>How a delivery ended.</summary>
public enum DeliveryStatus
{
    /// <summary>The destination acknowledged every item.</summary>
    Acked,

    /// <summary>Failed in a way worth retrying (connection lost, 5xx, 429, timeout).</summary>
    RetryableFailure,

    /// <summary>The destination refused it for good (for example HTTP 400); retrying will not help.</summary>
    PermanentFailure,

    /// <summary>Dropped under pressure (latency-first lane only); counted, never silent.</summary>
    Dropped,
}

/// <summary>The outcome of one <see cref="IDeliveryPort.DeliverAsync"/>.</summary>
public sealed record DeliveryResult(DeliveryStatus Status, string? Error = null, TimeSpan? RetryAfter = null)
{
    /// <summary>The shared success value.</summary>
    public static DeliveryResult Acked { get; } = new(DeliveryStatus.Acked);
}

/// <summary>What the port knows about a destination name right now.</summary>
public enum DestinationAvailability
{
    /// <summary>No destination has that name.</summary>
    Missing,

    /// <summary>Defined and not known to be failing (connections are made lazily on first send).</summary>
    Available,

    /// <summary>Defined, but every wire is failing; sends would fail until the health checker reconnects.</summary>
    Unavailable,
}

/// <summary>A change of a destination's availability, so bound runtimes can move between IDLE and ATTACHED.</summary>
public sealed record DestinationAvailabilityChanged(string Destination, DestinationAvailability Availability);

/// <summary>
/// The port through which runtimes deliver runs. Runtime.Core ships the in-process side; Runtime.Transports
/// implements it over the network. Implementations must be thread-safe.
/// </summary>
public interface IDeliveryPort
{
    /// <summary>Delivers one run and reports how it ended. Never throws for delivery failures: it reports them.</summary>
    ValueTask<DeliveryResult> DeliverAsync(RunDelivery run, CancellationToken cancellationToken);

    /// <summary>Whether a destination exists and is usable now.</summary>
    DestinationAvailability GetAvailability(string destination);

    /// <summary>Raised when a destination's availability changes (never under a lock of the port).</summary>
    event EventHandler<DestinationAvailabilityChanged>? AvailabilityChanged;
}
