using Runtime.Core.Delivery;
using Runtime.Observation.BuiltIn.Runtimes;

namespace Runtime.Observation.BuiltIn.Transports;

/// <summary>
/// A transport catalog for hosts without the transport manager: the destinations runtimes are bound to, each with
/// one wire whose state is what the delivery port says about it (usable → READY, every wire failing → FAILED).
/// Destinations the port does not know are left out. The transport manager's own catalog replaces this one.
/// </summary>
public sealed class DeliveryPortTransportCatalog(IRuntimeCatalog runtimes, IDeliveryPort port) : ITransportCatalog
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<DestinationInfo>> ListDestinationsAsync(CancellationToken cancellationToken)
    {
        var bound = (await runtimes.ListRuntimesAsync(cancellationToken))
            .Select(r => r.Destination)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);
        var destinations = new List<DestinationInfo>();
        foreach (var name in bound)
        {
            var state = port.GetAvailability(name) switch
            {
                DestinationAvailability.Available => WireState.Ready,
                DestinationAvailability.Unavailable => WireState.Failed,
                _ => (WireState?)null,
            };
            if (state is { } known)
            {
                destinations.Add(new DestinationInfo(name, [ToWire(name, known)]));
            }
        }

        return destinations;
    }

    private static WireInfo ToWire(string destination, WireState state) =>
        destination.StartsWith(InProcessDeliveryPort.Prefix, StringComparison.Ordinal)
            ? new WireInfo("inproc", destination[InProcessDeliveryPort.Prefix.Length..], 0, state)
            : new WireInfo("unknown", destination, 0, state);
}
