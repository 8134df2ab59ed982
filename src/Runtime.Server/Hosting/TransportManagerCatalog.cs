using Runtime.Observation.BuiltIn.Transports;
using Runtime.Transports.Destinations;
using ObservedWireState = Runtime.Observation.BuiltIn.Transports.WireState;
using TransportWireState = Runtime.Transports.Destinations.WireState;

namespace Runtime.Server.Hosting;

/// <summary>
/// What the <c>transports</c> observer reads, straight from the transport manager: every destination it holds, each
/// wire with its kind, address, priority, live state, reconnect count and last error.
/// </summary>
public sealed class TransportManagerCatalog(IDestinationCatalog destinations) : ITransportCatalog
{
    private const int PageSize = 1_000;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<DestinationInfo>> ListDestinationsAsync(CancellationToken cancellationToken)
    {
        var all = new List<DestinationInfo>();
        var token = "";
        do
        {
            var page = await destinations.ListDestinationsAsync(PageSize, token, cancellationToken);
            all.AddRange(page.Destinations.Select(d => new DestinationInfo(d.Name, [.. d.Wires.Select(ToWire)])));
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        return all;
    }

    private static WireInfo ToWire(WireStatus status) => new(
        Kind(status.Wire.Kind),
        status.Wire.Address,
        status.Wire.Priority,
        status.State switch
        {
            TransportWireState.Connecting => ObservedWireState.Connecting,
            TransportWireState.Ready => ObservedWireState.Ready,
            TransportWireState.Failed => ObservedWireState.Failed,
            _ => ObservedWireState.Idle,
        },
        status.Reconnects,
        status.LastError);

    // The names the observer's wire rows use (as in the contract's wire kinds, lower case).
    private static string Kind(WireKind kind) => kind switch
    {
        WireKind.Grpc => "grpc",
        WireKind.WebSocket => "websocket",
        WireKind.Http => "http",
        WireKind.InProcess => "inproc",
        _ => "unspecified",
    };
}
