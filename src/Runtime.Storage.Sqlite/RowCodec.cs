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
    /// <summary>Bits of an input's row key that hold its position.</summary>
    public const int PositionBits = 32;

    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The columns <see cref="ReadInput"/> expects, in order.</summary>
    public const string InputColumns =
        "key, id, kind, payload, content_type, headers, idem_key, idem_hash, supersession_key, coalesce_key, priority, " +
        "payload_type, consume_point, max_attempts, phase, abandon_reason, attempts, recoveries, last_run_id, " +
        "last_boundary_seq, last_error, next_attempt_at, history, created_at, updated_at";

    /// <summary>The columns <see cref="ReadRuntime"/> expects, in order.</summary>
    public const string RuntimeColumns =
        "rk, id, state, destination, policy, labels, retiring, counts, ledger_seq, owner_epoch, boundary_seq, " +
        "next_position, created_at, updated_at";

    public static long InputKey(long runtimeKey, long position) => (runtimeKey << PositionBits) | position;

    public static long FirstKey(long runtimeKey) => runtimeKey << PositionBits;

    public static long LastKey(long runtimeKey) => (runtimeKey << PositionBits) | uint.MaxValue;

    public static string PolicyJson(RuntimePolicy policy) => JsonSerializer.Serialize(policy, Json);

    public static string LabelsJson(IReadOnlyDictionary<string, string> labels) => JsonSerializer.Serialize(labels, Json);

    public static byte[]? HeadersBlob(IReadOnlyDictionary<string, string> headers) =>
        headers.Count == 0 ? null : JsonSerializer.SerializeToUtf8Bytes(headers, Json);

    public static string Counts(long[] counts) => string.Join(',', counts);

    public static string Ids(IReadOnlyList<string> ids) => string.Join('\n', ids);

    public static IReadOnlyList<string> ParseIds(string text) => text.Length == 0 ? [] : text.Split('\n');

    public static object Db(string value) => value.Length == 0 ? DBNull.Value : value;

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
        CreatedAt = Time(r.GetInt64(12)),
        UpdatedAt = Time(r.GetInt64(13)),
    };

    public static InputRecord ReadInput(SqliteDataReader r)
    {
        var key = r.GetInt64(0);
        var history = r.GetString(22);
        return new InputRecord
        {
            StorageKey = key,
            Position = key & uint.MaxValue,
            InputId = r.GetString(1),
            Kind = r.GetString(2),
            Payload = r.IsDBNull(3) ? Array.Empty<byte>() : (byte[])r.GetValue(3),
            ContentType = r.GetString(4),
            Headers = r.IsDBNull(5)
                ? new Dictionary<string, string>()
                : JsonSerializer.Deserialize<Dictionary<string, string>>((byte[])r.GetValue(5), Json) ?? [],
            IdempotencyKey = r.IsDBNull(6) ? "" : r.GetString(6),
            IdempotencyHash = r.IsDBNull(7) ? null : (byte[])r.GetValue(7),
            SupersessionKey = r.IsDBNull(8) ? "" : r.GetString(8),
            CoalesceKey = r.IsDBNull(9) ? "" : r.GetString(9),
            Priority = r.GetInt32(10),
            PayloadType = (PayloadType)r.GetInt32(11),
            ConsumePoint = r.IsDBNull(12) ? null : (ConsumePoint)r.GetInt32(12),
            MaxAttempts = r.IsDBNull(13) ? null : r.GetInt32(13),
            Phase = (InputPhase)r.GetInt32(14),
            AbandonReason = (AbandonReason)r.GetInt32(15),
            AttemptCount = r.GetInt32(16),
            RecoveryCount = r.GetInt32(17),
            LastRunId = r.GetString(18),
            LastBoundarySequence = r.GetInt64(19),
            LastError = r.GetString(20),
            NextAttemptAt = r.IsDBNull(21) ? null : Time(r.GetInt64(21)),
            History = history,
            StoredHistoryLength = history.Length,
            CreatedAt = Time(r.GetInt64(23)),
            UpdatedAt = Time(r.GetInt64(24)),
        };
    }

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
