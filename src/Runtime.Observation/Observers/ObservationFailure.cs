namespace Runtime.Observation.Observers;

/// <summary>The last failed cycle of an observer; cleared by the next successful one.</summary>
public sealed record ObservationFailure(
    long Cycle, DateTimeOffset Time, int SourceCount, ObservationFailureStage Stage, string Message);

/// <summary>Where a cycle failed.</summary>
public enum ObservationFailureStage
{
    /// <summary>Getting the current sources failed (the poll did not run).</summary>
    SourceRefresh,

    /// <summary>The observer's poll failed after the sources were refreshed.</summary>
    Poll,
}
