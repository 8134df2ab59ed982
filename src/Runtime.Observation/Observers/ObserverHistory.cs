namespace Runtime.Observation.Observers;

/// <summary>Batches after a cycle, and an explicit gap when some of them have left history.</summary>
public sealed record ObserverHistory(IReadOnlyList<ObservationBatch> Batches, ObservationGap? Gap, long CurrentCycle);
