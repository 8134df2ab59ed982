using Runtime.Transports.Destinations;
using Runtime.Transports.Wires.Grpc;
using Runtime.Transports.Wires.Http;
using Runtime.Transports.Wires.InProcess;
using Runtime.Transports.Wires.WebSockets;

namespace Runtime.Transports.Wires;

/// <summary>Opens connections for every wire kind.</summary>
/// <param name="options">Timeouts, keep-alive and message size limits.</param>
/// <param name="inProcessSinks">The sinks <c>inproc</c> wires name.</param>
/// <param name="time">The clock (used to read HTTP <c>Retry-After</c> dates).</param>
public sealed class WireDialer(TransportOptions options, IInProcessSinks inProcessSinks, TimeProvider time) : IWireDialer
{
    /// <inheritdoc />
    public Task<IWireConnection> DialAsync(WireDefinition wire, CancellationToken cancellationToken) => wire.Kind switch
    {
        WireKind.Grpc => GrpcWireConnection.ConnectAsync(wire, options, cancellationToken),
        WireKind.WebSocket => WebSocketWireConnection.ConnectAsync(wire, options, cancellationToken),
        WireKind.Http => HttpWireConnection.ConnectAsync(wire, options, time, cancellationToken),
        WireKind.InProcess => inProcessSinks.TryGet(wire.Address, out var sink)
            ? Task.FromResult<IWireConnection>(new InProcessWireConnection(sink))
            : Task.FromException<IWireConnection>(new InvalidOperationException($"no in-process sink is named '{wire.Address}'")),
        _ => Task.FromException<IWireConnection>(new InvalidOperationException($"unsupported wire kind {wire.Kind}")),
    };
}
