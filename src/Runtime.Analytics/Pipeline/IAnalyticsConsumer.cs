using Runtime.Observation.Events;

namespace Runtime.Analytics.Pipeline;

/// <summary>Something the analytics pump feeds: every event that passed the server filter, in sequence order.</summary>
public interface IAnalyticsConsumer
{
    /// <summary>
    /// Takes a batch of events in sequence order; <paramref name="filterEpoch"/> is the epoch of the filter they
    /// passed. Called with whole batches so a consumer takes its lock once per batch, not once per event. Must not
    /// block.
    /// </summary>
    void Observe(ReadOnlySpan<StreamedEvent> events, long filterEpoch);
}
