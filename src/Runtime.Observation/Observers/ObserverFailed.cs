namespace Runtime.Observation.Observers;

/// <summary>
/// Tells subscribers that an observer's cycles started failing (or now fail differently). Sent when a failure streak
/// starts, not every failed cycle; the observer keeps its last good snapshot, and ListObservers shows the failure
/// until a later cycle succeeds.
/// </summary>
public sealed class ObserverFailed(string observer, ObservationFailure failure) : ObservationMessage
{
    /// <inheritdoc />
    public override string Observer { get; } = observer;

    /// <summary>What failed.</summary>
    public ObservationFailure Failure { get; } = failure;
}
