using Runtime.Core.Delivery;

namespace Runtime.Transports.Wires;

/// <summary>
/// One open connection of one wire. Thread-safe: many deliveries may be in flight at once (the transport manager
/// bounds how many). Disposing it closes the connection; deliveries still pending end as <see cref="WireOutcome.Lost"/>.
/// </summary>
public interface IWireConnection : IAsyncDisposable
{
    /// <summary>Completes, with the reason, when the connection breaks by itself (stream ended, socket closed).</summary>
    Task<string> Broken { get; }

    /// <summary>Deliveries sent and not answered yet.</summary>
    int InFlight { get; }

    /// <summary>
    /// Sends one run and waits for the destination's answer. Returns <see cref="WireOutcome.Lost"/> when the
    /// connection failed before an answer came (the run may or may not have arrived); throws
    /// <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> fires.
    /// </summary>
    ValueTask<WireOutcome> SendAsync(RunDelivery run, CancellationToken cancellationToken);
}

/// <summary>Opens connections for wires.</summary>
public interface IWireDialer
{
    /// <summary>Connects one wire; throws when it cannot (the message is shown as the wire's last error).</summary>
    Task<IWireConnection> DialAsync(Destinations.WireDefinition wire, CancellationToken cancellationToken);
}

/// <summary>How one send on a wire ended: an answer from the destination, or the connection lost before one.</summary>
/// <param name="Result">The destination's answer; a retryable failure when the connection was lost.</param>
/// <param name="ConnectionLost">True when no answer came because the connection failed: another wire may be tried.</param>
public readonly record struct WireOutcome(DeliveryResult Result, bool ConnectionLost)
{
    /// <summary>The destination answered.</summary>
    public static WireOutcome Answered(DeliveryResult result) => new(result, false);

    /// <summary>The connection failed before an answer came.</summary>
    public static WireOutcome Lost(string error) => new(new DeliveryResult(DeliveryStatus.RetryableFailure, error), true);
}
