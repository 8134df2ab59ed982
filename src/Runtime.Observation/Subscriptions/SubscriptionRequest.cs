using Runtime.Observation.Filtering;

namespace Runtime.Observation.Subscriptions;

/// <summary>What a subscriber asks for. Zero bounds mean unbounded.</summary>
public sealed record SubscriptionRequest
{
    /// <summary>The observers to follow; empty follows all of them.</summary>
    public IReadOnlyList<string> Observers { get; init; } = [];

    /// <summary>Send each observer's current snapshot first (ignored for observers resumed from history).</summary>
    public bool IncludeSnapshot { get; init; }

    /// <summary>Resume every chosen observer after this cycle (null: start live).</summary>
    public long? AfterCycle { get; init; }

    /// <summary>Per-observer resume points; they override <see cref="AfterCycle"/>.</summary>
    public IReadOnlyDictionary<string, long>? AfterCycles { get; init; }

    /// <summary>Which rows and events to deliver; null delivers everything.</summary>
    public IObservationFilter? Filter { get; init; }

    /// <summary>End normally after this many messages (snapshots, batches, gaps, failure notices; heartbeats do not count). 0: no limit.</summary>
    public long MaxMessages { get; init; }

    /// <summary>End normally after this long. Zero: no limit.</summary>
    public TimeSpan MaxDuration { get; init; }

    /// <summary>The cycle to resume <paramref name="observer"/> after, if any.</summary>
    public long? ResumePointFor(string observer) =>
        AfterCycles is not null && AfterCycles.TryGetValue(observer, out var cycle) ? cycle : AfterCycle;
}
