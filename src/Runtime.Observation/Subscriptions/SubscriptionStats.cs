namespace Runtime.Observation.Subscriptions;

/// <summary>Counters of one open subscription.</summary>
public sealed record SubscriptionStats
{
    /// <summary>The subscription's id (unique in this process).</summary>
    public required long Id { get; init; }

    /// <summary>The observers it follows.</summary>
    public required IReadOnlyList<string> Observers { get; init; }

    /// <summary>When it was opened.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Messages handed to the subscriber (snapshots, batches, gaps).</summary>
    public required long Delivered { get; init; }

    /// <summary>Heartbeats sent.</summary>
    public required long Heartbeats { get; init; }

    /// <summary>Live batches and failure notices not buffered because the subscriber was behind (batches are recovered from history when possible).</summary>
    public required long Dropped { get; init; }

    /// <summary>Times its buffer overflowed (each needs a resynchronisation).</summary>
    public required long Overflows { get; init; }

    /// <summary>Resynchronisations done (from history, or by gap and snapshot).</summary>
    public required long Resyncs { get; init; }

    /// <summary>Gaps sent (each followed by a fresh snapshot).</summary>
    public required long Gaps { get; init; }

    /// <summary>Batches waiting in its buffer.</summary>
    public required int Buffered { get; init; }

    /// <summary>How many cycles it is behind the newest batch, over its observers.</summary>
    public required long LagCycles { get; init; }
}

/// <summary>All subscriptions: totals since start (ended ones included) and each open one.</summary>
public sealed record SubscriptionStatistics
{
    /// <summary>Subscriptions open now.</summary>
    public required int Active { get; init; }

    /// <summary>Subscriptions opened since start.</summary>
    public required long Opened { get; init; }

    /// <summary>Messages delivered since start.</summary>
    public required long TotalDelivered { get; init; }

    /// <summary>Live batches dropped for slow subscribers since start.</summary>
    public required long TotalDropped { get; init; }

    /// <summary>Buffer overflows since start.</summary>
    public required long TotalOverflows { get; init; }

    /// <summary>Resynchronisations since start.</summary>
    public required long TotalResyncs { get; init; }

    /// <summary>Gaps sent since start.</summary>
    public required long TotalGaps { get; init; }

    /// <summary>Each open subscription.</summary>
    public required IReadOnlyList<SubscriptionStats> Subscriptions { get; init; }
}
