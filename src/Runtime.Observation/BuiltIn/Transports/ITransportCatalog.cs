using Runtime.Observation.Filtering;

namespace Runtime.Observation.BuiltIn.Transports;

/// <summary>What the <c>transports</c> observer reads each cycle; the host adapts its transport manager to it.</summary>
public interface ITransportCatalog
{
    /// <summary>Every destination the transport manager holds now, with its wires.</summary>
    ValueTask<IReadOnlyList<DestinationInfo>> ListDestinationsAsync(CancellationToken cancellationToken);
}

/// <summary>The health of one wire.</summary>
public enum WireState
{
    /// <summary>Not dialled yet (connections are made on first send).</summary>
    Idle,

    /// <summary>Being dialled.</summary>
    Connecting,

    /// <summary>Connected and usable.</summary>
    Ready,

    /// <summary>Broken; the health checker re-dials it.</summary>
    Failed,

    /// <summary>Closed on purpose.</summary>
    Closed,
}

/// <summary>One wire of a destination.</summary>
/// <param name="Kind">The wire kind: <c>grpc</c>, <c>websocket</c>, <c>http</c> or <c>inproc</c>.</param>
/// <param name="Address">Where it connects.</param>
/// <param name="Priority">Lower is preferred.</param>
/// <param name="State">Its health now.</param>
/// <param name="Reconnects">How many times it has been re-established since it was created.</param>
/// <param name="LastError">The last failure, if any.</param>
public sealed record WireInfo(string Kind, string Address, int Priority, WireState State, long Reconnects = 0, string? LastError = null);

/// <summary>One destination and its wires; also a row of the <c>transports</c> snapshot.</summary>
public sealed record DestinationInfo(string Name, IReadOnlyList<WireInfo> Wires) : IFilterable
{
    /// <summary>Destinations are not about one runtime.</summary>
    public string? RuntimeId => null;

    /// <inheritdoc />
    public string? GetLabel(string key) => null;

    /// <inheritdoc />
    public string? GetField(string name) => name == "destination" ? Name : null;
}
