using System.Net.Http.Json;
using System.Text.Json;

namespace Runtime.IntegrationTests.Infrastructure;

/// <summary>What the sample sink reports on <c>GET /stats</c> (the fields the scenarios read).</summary>
/// <param name="Deliveries">Deliveries applied.</param>
/// <param name="Unique">Distinct (runtime, input id) pairs received.</param>
/// <param name="Duplicates">Repeats recognised.</param>
/// <param name="Runtimes">Per runtime: input ids in first-seen order.</param>
public sealed record SinkStats(long Deliveries, long Unique, long Duplicates, IReadOnlyDictionary<string, SinkRuntimeStats> Runtimes)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Reads the sink's stats from the host.</summary>
    public static async Task<SinkStats> ReadAsync(Uri sink)
    {
        using var http = new HttpClient { BaseAddress = sink, Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetFromJsonAsync<SinkStats>("/stats", Json)
            ?? throw new InvalidOperationException("the sink answered no stats");
    }

    /// <summary>Input ids the sink received for <paramref name="runtimeId"/>.</summary>
    public IReadOnlySet<string> InputIds(string runtimeId) =>
        Runtimes.TryGetValue(runtimeId, out var runtime) ? runtime.Order.ToHashSet(StringComparer.Ordinal) : new HashSet<string>();
}

/// <summary>One runtime's deliveries at the sink.</summary>
/// <param name="Unique">Distinct input ids.</param>
/// <param name="Duplicates">Repeats.</param>
/// <param name="Order">Input ids in first-seen order.</param>
public sealed record SinkRuntimeStats(long Unique, long Duplicates, IReadOnlyList<string> Order);
