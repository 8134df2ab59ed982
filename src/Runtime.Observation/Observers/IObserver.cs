namespace Runtime.Observation.Observers;

/// <summary>
/// Observation logic: builds its retained state from the sources, advances it each cycle (returning what changed as
/// delta events) and renders a snapshot of it. The runner owns the timing, history and subscribers; the observer
/// only knows its domain. Calls never overlap.
/// </summary>
/// <typeparam name="TSource">What the observer looks at (a runtime, a destination, the event stream...).</typeparam>
/// <typeparam name="TState">What it remembers between cycles.</typeparam>
public interface IObserver<TSource, TState>
    where TState : class
{
    /// <summary>Builds the initial state (cycle 0).</summary>
    ValueTask<TState> InitAsync(IReadOnlyList<TSource> sources, CancellationToken cancellationToken);

    /// <summary>Advances <paramref name="state"/> by one cycle and returns the delta events (often none).</summary>
    ValueTask<IReadOnlyList<ObservationEvent>> PollAsync(
        IReadOnlyList<TSource> sources, TState state, CancellationToken cancellationToken);

    /// <summary>Renders the current state as an immutable snapshot.</summary>
    SnapshotContent Snapshot(TState state);
}
