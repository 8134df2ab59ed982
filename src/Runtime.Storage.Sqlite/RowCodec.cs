using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Runtime.Core.Delivery;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;
using Runtime.Core.Runtimes;
using Runtime.Core.Storage;

namespace Runtime.Storage.Sqlite;

/// <summary>Turns records into column values and rows back into records.</summary>
internal static class RowCodec
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The columns <see cref="ReadRuntime"/> expects, in order.</summary>
    public const string RuntimeColumns =
        "rk, id, state, destination, policy, labels, retiring, counts, ledger_seq, owner_epoch, boundary_seq, " +
        "next_position, live_floor, created_at, updated_at";

    public static string PolicyJson(RuntimePolicy policy) => JsonSerializer.Serialize(policy, Json);

    public static string LabelsJson(IReadOnlyDictionary<string, string> labels) => JsonSerializer.Serialize(labels, Json);

    /// <summary>Headers as schema 1 stored them (JSON), read only by its migration.</summary>
    public static Dictionary<string, string> ParseHeaders(byte[] json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json, Json) ?? [];

    public static string Counts(long[] counts) => string.Join(',', counts);

    public static RuntimeRecord ReadRuntime(SqliteDataReader r) => new()
    {
        Key = r.GetInt64(0),
        RuntimeId = r.GetString(1),
        State = (RuntimeState)r.GetInt32(2),
        Destination = r.GetString(3),
        Policy = JsonSerializer.Deserialize<RuntimePolicy>(r.GetString(4), Json) ?? RuntimePolicy.Default,
        Labels = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(5), Json) ?? [],
        Retiring = r.GetInt64(6) != 0,
        PhaseCounts = ParseCounts(r.GetString(7)),
        LedgerSequence = r.GetInt64(8),
        OwnerEpoch = r.GetInt64(9),
        BoundarySequence = r.GetInt64(10),
        NextPosition = r.GetInt64(11),
        LiveFloor = r.GetInt64(12),
        CreatedAt = Time(r.GetInt64(13)),
        UpdatedAt = Time(r.GetInt64(14)),
    };

    public static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    private static long[] ParseCounts(string text)
    {
        var counts = new long[InputPhaseMachine.All.Count];
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length && i < counts.Length; i++)
        {
            counts[i] = long.Parse(parts[i], CultureInfo.InvariantCulture);
        }

        return counts;
    }
}
