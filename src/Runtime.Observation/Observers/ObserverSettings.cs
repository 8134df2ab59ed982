namespace Runtime.Observation.Observers;

/// <summary>How often one observer runs and how much history it keeps.</summary>
public sealed record ObserverSettings(TimeSpan Interval, int HistoryLimit);
