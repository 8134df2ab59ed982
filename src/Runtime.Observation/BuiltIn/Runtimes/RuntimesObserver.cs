using Runtime.Core.Runtimes;
using Runtime.Observation.Observers;

namespace Runtime.Observation.BuiltIn.Runtimes;

/// <summary>
/// The <c>runtimes</c> observer: diffs the catalog between cycles into created, state-changed and destroyed events;
/// its snapshot counts runtimes by state and lists each with its queue depth and phase counts.
/// </summary>
public sealed class RuntimesObserver : IObserver<RuntimeInfo, RuntimesObserver.State>
{
    /// <summary>The observer's name.</summary>
    public const string Name = "runtimes";

    /// <inheritdoc />
    public ValueTask<State> InitAsync(IReadOnlyList<RuntimeInfo> sources, CancellationToken cancellationToken)
    {
        var state = new State();
        state.Replace(sources);
        return ValueTask.FromResult(state);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ObservationEvent>> PollAsync(
        IReadOnlyList<RuntimeInfo> sources, State state, CancellationToken cancellationToken)
    {
        var events = new List<ObservationEvent>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var runtime in sources)
        {
            seen.Add(runtime.RuntimeId);
            if (!state.Known.TryGetValue(runtime.RuntimeId, out var before))
            {
                events.Add(new RuntimeCreated(runtime.State, runtime.Destination) { RuntimeId = runtime.RuntimeId, Labels = runtime.Labels });
            }
            else if (before.State != runtime.State)
            {
                events.Add(new RuntimeStateChanged(before.State, runtime.State) { RuntimeId = runtime.RuntimeId, Labels = runtime.Labels });
                if (runtime.State == RuntimeState.Destroyed)
                {
                    events.Add(new RuntimeDestroyed(before.State) { RuntimeId = runtime.RuntimeId, Labels = runtime.Labels });
                }
            }
        }

        foreach (var gone in state.Known.Values.Where(r => !seen.Contains(r.RuntimeId) && r.State != RuntimeState.Destroyed))
        {
            events.Add(new RuntimeDestroyed(gone.State) { RuntimeId = gone.RuntimeId, Labels = gone.Labels });
        }

        state.Replace(sources);
        return ValueTask.FromResult<IReadOnlyList<ObservationEvent>>(events);
    }

    /// <inheritdoc />
    public SnapshotContent Snapshot(State state) => RuntimesSnapshot.Of(state.Known.Values);

    /// <summary>The runtimes seen in the last cycle.</summary>
    public sealed class State
    {
        /// <summary>By id.</summary>
        public Dictionary<string, RuntimeInfo> Known { get; } = new(StringComparer.Ordinal);

        internal void Replace(IReadOnlyList<RuntimeInfo> runtimes)
        {
            Known.Clear();
            foreach (var runtime in runtimes)
            {
                Known[runtime.RuntimeId] = runtime;
            }
        }
    }
}
