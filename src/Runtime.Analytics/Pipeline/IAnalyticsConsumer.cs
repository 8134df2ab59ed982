using Runtime.Observation.Events;

namespace Runtime.Analytics.Pipeline;

/// <summary>Something the analytics pump feeds: every event that passed the server filter, in sequence order.</summary>
public interface IAnalyticsConsumer
{
    /// <summary>Takes one event; <paramref name="filterEpoch"/> is the epoch of the filter it passed. Must not block.</summary>
    void Observe(StreamedEvent streamed, long filterEpoch);
}
