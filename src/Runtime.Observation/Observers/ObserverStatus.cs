namespace Runtime.Observation.Observers;

/// <summary>What ListObservers shows about one observer.</summary>
public sealed record ObserverStatus
{
    /// <summary>The observer's name.</summary>
    public required string Name { get; init; }

    /// <summary>Time between cycles.</summary>
    public required TimeSpan Interval { get; init; }

    /// <summary>How many non-empty batches are kept.</summary>
    public required int HistoryLimit { get; init; }

    /// <summary>This process's first cycle (its initial snapshot; cycles continue across restarts).</summary>
    public required long FirstCycle { get; init; }

    /// <summary>The last cycle attempted (-1 before start).</summary>
    public required long CurrentCycle { get; init; }

    /// <summary>The cycle of the last good snapshot (null before start).</summary>
    public required long? SnapshotCycle { get; init; }

    /// <summary>The cycle of the newest batch (<see cref="FirstCycle"/> when none yet).</summary>
    public required long LastBatchCycle { get; init; }

    /// <summary>The cycle of the oldest batch still in history, or null when history is empty.</summary>
    public required long? OldestHistoryCycle { get; init; }

    /// <summary>How many batches history holds.</summary>
    public required int HistoryCount { get; init; }

    /// <summary>The last failed cycle, or null when the last cycle succeeded.</summary>
    public required ObservationFailure? LastFailure { get; init; }

    /// <summary>Subscriptions attached to this observer now.</summary>
    public required int Subscribers { get; init; }
}
