using Google.Protobuf.WellKnownTypes;
using Runtime.Analytics.Filters;
using Runtime.Analytics.Probes;
using Runtime.Analytics.Recording;
using Runtime.Analytics.Stats;
using Runtime.Analytics.Trie;
using Runtime.Core.Errors;
using V1 = Runtime.Contracts.V1;

namespace Runtime.Server.Mapping;

/// <summary>Maps analytics between the domain and runtime.v1 messages.</summary>
public static class AnalyticsMapping
{
    /// <summary>The stats snapshot as a GetStats response.</summary>
    public static V1.GetStatsResponse ToProto(this StatsSnapshot snapshot) => new()
    {
        Time = Timestamp.FromDateTimeOffset(snapshot.Time),
        Window = Duration.FromTimeSpan(snapshot.Window),
        LastSequence = (ulong)snapshot.LastSequence,
        FilterEpoch = (ulong)snapshot.FilterEpoch,
        Totals = snapshot.Totals.ToProto(),
        Rates = { snapshot.Rates.Select(r => new V1.MetricRate
        {
            Metric = (V1.StatsMetric)((int)r.Metric + 1),
            PerSecond = r.PerSecond,
            Trend = (V1.RateTrend)((int)r.Trend + 1),
            ChangePercent = r.ChangePercent,
        }) },
        AcceptToConsume = snapshot.AcceptToConsume.ToProto(),
        Delivery = snapshot.Delivery.ToProto(),
        Runtimes = { snapshot.Runtimes.Select(ToProto) },
        Destinations = { snapshot.Destinations.Select(ToProto) },
    };

    /// <summary>The ranking asked for.</summary>
    public static StatsOrder ToDomain(this V1.StatsOrder order) => order switch
    {
        V1.StatsOrder.Unspecified or V1.StatsOrder.Rate => StatsOrder.Rate,
        V1.StatsOrder.Latency => StatsOrder.Latency,
        _ => throw Fail.InvalidField("order", "use STATS_ORDER_RATE or STATS_ORDER_LATENCY"),
    };

    /// <summary>The trie snapshot as a GetTrie response.</summary>
    public static V1.GetTrieResponse ToProto(this TrieSnapshot snapshot, bool includeFoldedStacks) => new()
    {
        Version = (ulong)snapshot.Version,
        Fields = { snapshot.Configuration.Fields.Select(f => f.ToString()) },
        Weight = (V1.TrieWeight)((int)snapshot.Configuration.Weight + 1),
        Since = Timestamp.FromDateTimeOffset(snapshot.Since),
        Time = Timestamp.FromDateTimeOffset(snapshot.Time),
        LastSequence = (ulong)snapshot.LastSequence,
        Root = snapshot.Root.ToProto(),
        FoldedStacks = includeFoldedStacks ? snapshot.ToFoldedStacks() : "",
    };

    /// <summary>The trie configuration asked for; INVALID_ARGUMENT when a field or the weight is wrong.</summary>
    public static TrieConfiguration ToDomain(this V1.ConfigureTrieRequest request) => TrieConfiguration.Parse(
        [.. request.Fields],
        request.Weight switch
        {
            V1.TrieWeight.Unspecified or V1.TrieWeight.Count => TrieWeight.Count,
            V1.TrieWeight.Bytes => TrieWeight.Bytes,
            V1.TrieWeight.Latency => TrieWeight.Latency,
            _ => (TrieWeight)(-1), // rejected by Parse, naming the weight field
        });

    /// <summary>The filter state as a GetFilter response.</summary>
    public static V1.GetFilterResponse ToGetResponse(this FilterState state) => new()
    {
        Filter = state.Expression.Text,
        Epoch = (ulong)state.Epoch,
        ChangedAt = state.ChangedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
    };

    /// <summary>The filter state as a SetFilter response.</summary>
    public static V1.SetFilterResponse ToSetResponse(this FilterState state) => new()
    {
        Filter = state.Expression.Text,
        Epoch = (ulong)state.Epoch,
        ChangedAt = state.ChangedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
    };

    /// <summary>A probe's state.</summary>
    public static V1.Probe ToProto(this ProbeState probe) => new()
    {
        Category = (V1.EventCategory)((int)probe.Category + 1),
        Enabled = probe.Enabled,
        Description = probe.Description,
    };

    /// <summary>The category asked for; INVALID_ARGUMENT on <c>category</c> when unset or unknown.</summary>
    public static Runtime.Core.Events.EventCategory ToDomain(this V1.EventCategory category) =>
        category is > V1.EventCategory.Unspecified and <= V1.EventCategory.Published
            ? (Runtime.Core.Events.EventCategory)((int)category - 1)
            : throw Fail.InvalidField("category", "name an event category (EVENT_CATEGORY_INPUT_LIFECYCLE ... EVENT_CATEGORY_PUBLISHED)");

    /// <summary>A recording's status.</summary>
    public static V1.RecordingStatus ToProto(this RecordingStatus status) => new()
    {
        Active = status.Active,
        Path = status.Path,
        RowsWritten = (ulong)status.RowsWritten,
        RowsDropped = (ulong)status.RowsDropped,
        LastError = status.LastError ?? "",
        StartedAt = status.StartedAt is { } started ? Timestamp.FromDateTimeOffset(started) : null,
        StoppedAt = status.StoppedAt is { } stopped ? Timestamp.FromDateTimeOffset(stopped) : null,
    };

    private static V1.StatsCounters ToProto(this StatsCounters counters) => new()
    {
        Accepted = (ulong)counters.Accepted,
        Consumed = (ulong)counters.Consumed,
        Abandoned = (ulong)counters.Abandoned,
        FailedAttempts = (ulong)counters.FailedAttempts,
        Bytes = (ulong)counters.Bytes,
    };

    private static V1.LatencyDistribution ToProto(this LatencySummary summary) => new()
    {
        Count = (ulong)summary.Count,
        Min = Duration.FromTimeSpan(summary.Min),
        Mean = Duration.FromTimeSpan(summary.Mean),
        P50 = Duration.FromTimeSpan(summary.P50),
        P95 = Duration.FromTimeSpan(summary.P95),
        P99 = Duration.FromTimeSpan(summary.P99),
        Max = Duration.FromTimeSpan(summary.Max),
        Buckets = { summary.Histogram.Select(b => new V1.LatencyBucket { UpperBound = Duration.FromTimeSpan(b.UpperBound), Count = (ulong)b.Count }) },
    };

    private static V1.StatsRow ToProto(StatsRow row) => new()
    {
        Key = row.Key,
        Totals = row.Totals.ToProto(),
        ConsumedPerSecond = row.ConsumedPerSecond,
        MeanLatency = Duration.FromTimeSpan(row.MeanLatency),
        MaxLatency = Duration.FromTimeSpan(row.MaxLatency),
    };

    private static V1.TrieNode ToProto(this TrieNode node) => new()
    {
        Name = node.Name,
        Weight = node.Weight,
        Count = (ulong)node.Count,
        Children = { node.Children.Select(c => c.ToProto()) },
    };
}
