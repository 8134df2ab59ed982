using Google.Protobuf.WellKnownTypes;
using Runtime.Transports.Destinations;
using V1 = Runtime.Contracts.V1;

namespace Runtime.Server.Mapping;

/// <summary>Maps TransportService messages to the transport domain records and back.</summary>
internal static class TransportMapping
{
    /// <summary>The wires of a request; an unknown kind becomes <see cref="WireKind.Unspecified"/>, which validation refuses.</summary>
    public static IReadOnlyList<WireDefinition> ToDomain(IEnumerable<V1.Wire> wires) =>
        [.. wires.Select(w => new WireDefinition(ToDomain(w.Kind), w.Address, w.Priority))];

    /// <summary>A destination with its live wires.</summary>
    public static V1.Destination ToProto(DestinationStatus destination)
    {
        var message = new V1.Destination
        {
            Name = destination.Name,
            BoundRuntimes = (uint)Math.Max(0, destination.BoundRuntimes),
            CreateTime = Timestamp.FromDateTimeOffset(destination.CreateTime),
        };
        message.Wires.AddRange(destination.Wires.Select(ToProto));
        return message;
    }

    private static V1.WireStatus ToProto(WireStatus wire) => new()
    {
        Wire = new V1.Wire { Kind = ToProto(wire.Wire.Kind), Address = wire.Wire.Address, Priority = wire.Wire.Priority },
        State = ToProto(wire.State),
        LastError = wire.LastError ?? "",
        ReconnectAttempts = (uint)Math.Max(0, wire.ReconnectAttempts),
        NextRetryTime = wire.NextRetryTime is { } next ? Timestamp.FromDateTimeOffset(next) : null,
        Sent = (ulong)Math.Max(0, wire.Sent),
        Acked = (ulong)Math.Max(0, wire.Acked),
        Failed = (ulong)Math.Max(0, wire.Failed),
        Dropped = (ulong)Math.Max(0, wire.Dropped),
        InFlight = (uint)Math.Max(0, wire.InFlight),
    };

    private static WireKind ToDomain(V1.WireKind kind) => kind switch
    {
        V1.WireKind.Grpc => WireKind.Grpc,
        V1.WireKind.Websocket => WireKind.WebSocket,
        V1.WireKind.Http => WireKind.Http,
        V1.WireKind.Inproc => WireKind.InProcess,
        _ => WireKind.Unspecified,
    };

    private static V1.WireKind ToProto(WireKind kind) => kind switch
    {
        WireKind.Grpc => V1.WireKind.Grpc,
        WireKind.WebSocket => V1.WireKind.Websocket,
        WireKind.Http => V1.WireKind.Http,
        WireKind.InProcess => V1.WireKind.Inproc,
        _ => V1.WireKind.Unspecified,
    };

    private static V1.WireState ToProto(WireState state) => state switch
    {
        WireState.Idle => V1.WireState.Idle,
        WireState.Connecting => V1.WireState.Connecting,
        WireState.Ready => V1.WireState.Ready,
        WireState.Failed => V1.WireState.Failed,
        _ => V1.WireState.Unspecified,
    };
}
