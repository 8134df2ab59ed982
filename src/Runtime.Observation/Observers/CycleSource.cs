namespace Runtime.Observation.Observers;

/// <summary>What one cycle produced.</summary>
internal sealed record CycleResult(int SourceCount, IReadOnlyList<ObservationEvent> Events, SnapshotContent Content);

/// <summary>A cycle that failed, with the stage it failed in.</summary>
internal sealed class CycleFailedException(ObservationFailureStage stage, int sourceCount, Exception inner)
    : Exception(inner.Message, inner)
{
    public ObservationFailureStage Stage { get; } = stage;

    public int SourceCount { get; } = sourceCount;
}

/// <summary>Runs one observer over its source provider, hiding their types from the runner.</summary>
internal interface ICycleSource
{
    /// <summary>Refreshes sources and builds the initial state (cycle 0).</summary>
    ValueTask<CycleResult> InitAsync(CancellationToken cancellationToken);

    /// <summary>Refreshes sources and polls once.</summary>
    ValueTask<CycleResult> PollAsync(CancellationToken cancellationToken);
}

/// <inheritdoc />
internal sealed class CycleSource<TSource, TState>(ISourceProvider<TSource> provider, IObserver<TSource, TState> observer)
    : ICycleSource
    where TState : class
{
    private TState? _state;

    public async ValueTask<CycleResult> InitAsync(CancellationToken cancellationToken)
    {
        var sources = await RefreshAsync(cancellationToken);
        var state = await Stage(ObservationFailureStage.Poll, sources.Count, () => observer.InitAsync(sources, cancellationToken), cancellationToken);
        _state = state;
        return new CycleResult(sources.Count, [], observer.Snapshot(state));
    }

    public async ValueTask<CycleResult> PollAsync(CancellationToken cancellationToken)
    {
        var state = _state ?? throw new InvalidOperationException("The observer was not initialised.");
        var sources = await RefreshAsync(cancellationToken);
        var events = await Stage(
            ObservationFailureStage.Poll, sources.Count, () => observer.PollAsync(sources, state, cancellationToken), cancellationToken);
        var content = await Stage(
            ObservationFailureStage.Poll, sources.Count, () => ValueTask.FromResult(observer.Snapshot(state)), cancellationToken);
        return new CycleResult(sources.Count, events, content);
    }

    private ValueTask<IReadOnlyList<TSource>> RefreshAsync(CancellationToken cancellationToken) =>
        Stage(ObservationFailureStage.SourceRefresh, 0, () => provider.GetSourcesAsync(cancellationToken), cancellationToken);

    private static async ValueTask<T> Stage<T>(
        ObservationFailureStage stage, int sourceCount, Func<ValueTask<T>> step, CancellationToken cancellationToken)
    {
        try
        {
            return await step();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new CycleFailedException(stage, sourceCount, ex);
        }
    }
}
