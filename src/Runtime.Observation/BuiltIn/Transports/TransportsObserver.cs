using Runtime.Observation.Observers;

namespace Runtime.Observation.BuiltIn.Transports;

/// <summary>
/// The <c>transports</c> observer: diffs destinations and wire states between cycles into added, connected, failed,
/// reconnected and removed events. A wire whose reconnect count grew while it looked ready throughout (it failed
/// and recovered between two cycles) is reported as reconnected too.
/// </summary>
public sealed class TransportsObserver : IObserver<DestinationInfo, TransportsObserver.State>
{
    /// <summary>The observer's name.</summary>
    public const string Name = "transports";

    /// <inheritdoc />
    public ValueTask<State> InitAsync(IReadOnlyList<DestinationInfo> sources, CancellationToken cancellationToken)
    {
        var state = new State();
        Diff(sources, state, events: null);
        return ValueTask.FromResult(state);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ObservationEvent>> PollAsync(
        IReadOnlyList<DestinationInfo> sources, State state, CancellationToken cancellationToken)
    {
        var events = new List<ObservationEvent>();
        Diff(sources, state, events);
        return ValueTask.FromResult<IReadOnlyList<ObservationEvent>>(events);
    }

    /// <inheritdoc />
    public SnapshotContent Snapshot(State state) => TransportsSnapshot.Of(state.Destinations.Values);

    private static void Diff(IReadOnlyList<DestinationInfo> sources, State state, List<ObservationEvent>? events)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var destination in sources)
        {
            seen.Add(destination.Name);
            if (!state.Destinations.ContainsKey(destination.Name))
            {
                events?.Add(new DestinationAdded(destination.Name));
            }

            foreach (var wire in destination.Wires)
            {
                var key = (destination.Name, wire.Kind, wire.Address);
                var before = state.Wires.GetValueOrDefault(key);
                var everReady = before.EverReady || wire.State == WireState.Ready;
                if (wire.State == WireState.Ready && (before.Wire?.State != WireState.Ready || wire.Reconnects > before.Wire.Reconnects))
                {
                    events?.Add(before.EverReady ? new WireReconnected(destination.Name, wire) : new WireConnected(destination.Name, wire));
                }
                else if (wire.State == WireState.Failed && before.Wire?.State != WireState.Failed)
                {
                    events?.Add(new WireFailed(destination.Name, wire));
                }

                state.Wires[key] = (wire, everReady);
            }

            var current = destination.Wires.Select(w => (destination.Name, w.Kind, w.Address)).ToHashSet();
            foreach (var removed in state.Wires.Keys.Where(k => k.Destination == destination.Name && !current.Contains(k)).ToArray())
            {
                state.Wires.Remove(removed);
            }

            state.Destinations[destination.Name] = destination;
        }

        foreach (var gone in state.Destinations.Keys.Where(name => !seen.Contains(name)).ToArray())
        {
            events?.Add(new DestinationRemoved(gone));
            state.Destinations.Remove(gone);
            foreach (var key in state.Wires.Keys.Where(k => k.Destination == gone).ToArray())
            {
                state.Wires.Remove(key);
            }
        }
    }

    /// <summary>The destinations and wires seen so far.</summary>
    public sealed class State
    {
        /// <summary>Destinations by name, as of the last cycle.</summary>
        public Dictionary<string, DestinationInfo> Destinations { get; } = new(StringComparer.Ordinal);

        /// <summary>Each wire's last state and whether it has ever been ready.</summary>
        public Dictionary<(string Destination, string Kind, string Address), (WireInfo? Wire, bool EverReady)> Wires { get; } = [];
    }
}
