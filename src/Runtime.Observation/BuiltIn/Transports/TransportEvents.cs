using Runtime.Observation.Observers;

namespace Runtime.Observation.BuiltIn.Transports;

/// <summary>A transport event about one destination (and one of its wires, when <see cref="Wire"/> is set).</summary>
public abstract record TransportEvent(string Destination, WireInfo? Wire) : ObservationEvent
{
    /// <inheritdoc />
    public override string Subject => Destination;

    /// <inheritdoc />
    public override string? GetField(string name) => name == "destination" ? Destination : base.GetField(name);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Describe()
    {
        var fields = new Dictionary<string, string> { ["destination"] = Destination };
        if (Wire is { } wire)
        {
            fields["wire_kind"] = wire.Kind;
            fields["wire_address"] = wire.Address;
            fields["wire_state"] = wire.State.ToString();
            fields["reconnects"] = wire.Reconnects.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (wire.LastError is { } error)
            {
                fields["last_error"] = error;
            }
        }

        return fields;
    }
}

/// <summary>A destination appeared.</summary>
public sealed record DestinationAdded(string Destination) : TransportEvent(Destination, null)
{
    /// <inheritdoc />
    public override string Kind => "destination_added";
}

/// <summary>A wire became ready for the first time.</summary>
public sealed record WireConnected(string Destination, WireInfo Wire) : TransportEvent(Destination, Wire)
{
    /// <inheritdoc />
    public override string Kind => "wire_connected";
}

/// <summary>A wire failed.</summary>
public sealed record WireFailed(string Destination, WireInfo Wire) : TransportEvent(Destination, Wire)
{
    /// <inheritdoc />
    public override string Kind => "wire_failed";
}

/// <summary>A wire that had been ready became ready again.</summary>
public sealed record WireReconnected(string Destination, WireInfo Wire) : TransportEvent(Destination, Wire)
{
    /// <inheritdoc />
    public override string Kind => "wire_reconnected";
}

/// <summary>A destination was removed (closed, deleted, or dropped after all its wires failed).</summary>
public sealed record DestinationRemoved(string Destination) : TransportEvent(Destination, null)
{
    /// <inheritdoc />
    public override string Kind => "destination_removed";
}
