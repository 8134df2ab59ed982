using Runtime.Transports.Wires;

namespace Runtime.Transports.Manager;

/// <summary>What every wire slot of a manager shares.</summary>
/// <param name="Dialer">Opens connections.</param>
/// <param name="Options">Timeouts, limits and backoff.</param>
/// <param name="Time">The clock for timeouts and retry times.</param>
/// <param name="Notifier">Where state changes are reported.</param>
/// <param name="Shutdown">Fires when the manager shuts down (aborts dials).</param>
internal sealed record WireContext(
    IWireDialer Dialer,
    TransportOptions Options,
    TimeProvider Time,
    TransportNotifier Notifier,
    CancellationToken Shutdown);
