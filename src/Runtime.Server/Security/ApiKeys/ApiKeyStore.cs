using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Runtime.Core.Errors;

namespace Runtime.Server.Security.ApiKeys;

/// <summary>
/// API keys in <c>security.db</c> (SQLite, WAL) in the data directory, shared by the server and the
/// <c>apikey</c> command. Authentication reads an in-memory snapshot, reloaded after this store's own changes and
/// when another process has changed the file (<c>PRAGMA data_version</c>, checked at most every
/// <see cref="ChangeCheckInterval"/>), so a revocation takes effect without a restart.
/// </summary>
public sealed class ApiKeyStore : IDisposable
{
    /// <summary>The file name inside the data directory.</summary>
    public const string FileName = "security.db";

    private const int MaxNameLength = 128;
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly Lock _snapshotLock = new();
    private readonly SqliteConnection _watcher;
    private readonly sqlite3_stmt _dataVersion;
    private long _snapshotVersion = -1;
    private Dictionary<string, ApiKeyRecord> _snapshot = [];
    private long _lastCheck;
    private bool _stale = true;
    private readonly ConcurrentDictionary<string, string> _verified = new(StringComparer.Ordinal);

    /// <summary>
    /// How often authentication looks for changes made by other processes (checking costs a file-lock round trip,
    /// too much for every call).
    /// </summary>
    public static TimeSpan ChangeCheckInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>Opens (creating if needed) the key store in <paramref name="dataDirectory"/>.</summary>
    public ApiKeyStore(string dataDirectory, TimeProvider time)
    {
        Directory.CreateDirectory(dataDirectory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, FileName),
            DefaultTimeout = 10,
        }.ToString();
        _time = time;
        using (var connection = Open())
        {
            Execute(connection, """
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS api_keys (
                    key_id      TEXT PRIMARY KEY,
                    name        TEXT NOT NULL,
                    scopes      TEXT NOT NULL,
                    secret_hash BLOB NOT NULL,
                    created_at  INTEGER NOT NULL,
                    expires_at  INTEGER NULL,
                    revoked_at  INTEGER NULL
                );
                """);
        }

        // A long-lived connection only to notice changes made through any other connection.
        _watcher = Open();
        // A raw prepared statement: the ADO.NET path costs several times more for this one-value pragma.
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_watcher.Handle, "PRAGMA data_version", out _dataVersion), _watcher.Handle);
    }

    /// <summary>Creates a key. Validates the name, scopes and expiry (INVALID_ARGUMENT with every bad field).</summary>
    public CreatedApiKey Create(string name, IReadOnlyCollection<Access> scopes, DateTimeOffset? expiresAt)
    {
        var now = _time.GetUtcNow();
        new Validator()
            .Require(name.Trim().Length > 0, "name", "must not be empty")
            .Require(name.Length <= MaxNameLength, "name", $"must be at most {MaxNameLength} characters")
            .Require(!name.Any(char.IsControl), "name", "must not contain control characters")
            .Require(scopes.Count > 0, "scopes", "must name at least one scope (ingest, observe, admin)")
            .Require(scopes.All(s => s is Access.Ingest or Access.Observe or Access.Admin), "scopes", "must be ingest, observe or admin")
            .Require(expiresAt is null || expiresAt > now, "expire_time", "must be in the future")
            .ThrowIfInvalid();

        var (keyId, secret) = ApiKeySecret.Generate();
        var record = new ApiKeyRecord(keyId, name.Trim(), scopes.ToHashSet(), Truncate(now), expiresAt is { } e ? Truncate(e) : null, null,
            ApiKeySecret.Hash(secret));
        using var connection = Open();
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO api_keys (key_id, name, scopes, secret_hash, created_at, expires_at)
            VALUES ($id, $name, $scopes, $hash, $created, $expires)
            """;
        insert.Parameters.AddWithValue("$id", record.KeyId);
        insert.Parameters.AddWithValue("$name", record.Name);
        insert.Parameters.AddWithValue("$scopes", FormatScopes(record.Scopes));
        insert.Parameters.AddWithValue("$hash", record.SecretHash);
        insert.Parameters.AddWithValue("$created", record.CreatedAt.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$expires", (object?)record.ExpiresAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        insert.ExecuteNonQuery();
        Volatile.Write(ref _stale, true);
        return new CreatedApiKey(record, secret);
    }

    /// <summary>Lists keys oldest first, a page at a time.</summary>
    public ApiKeyPage List(int pageSize = 0, string? pageToken = null, bool showRevoked = false)
    {
        long after = 0;
        new Validator()
            .Require(pageSize >= 0, "page_size", "must not be negative")
            .Require(string.IsNullOrEmpty(pageToken) || long.TryParse(pageToken, NumberStyles.None, CultureInfo.InvariantCulture, out after),
                "page_token", "must be a next_page_token from a previous response")
            .ThrowIfInvalid();
        // Larger pages are capped (AIP-158), as every list does.
        var size = pageSize == 0 ? DefaultPageSize : Math.Min(pageSize, MaxPageSize);

        using var connection = Open();
        using var select = connection.CreateCommand();
        select.CommandText = $"""
            SELECT rowid, {Columns} FROM api_keys
            WHERE rowid > $after AND ($all OR revoked_at IS NULL)
            ORDER BY rowid LIMIT $limit
            """;
        select.Parameters.AddWithValue("$after", after);
        select.Parameters.AddWithValue("$all", showRevoked);
        select.Parameters.AddWithValue("$limit", size + 1);
        var keys = new List<ApiKeyRecord>();
        long lastRow = 0;
        using var reader = select.ExecuteReader();
        while (keys.Count < size && reader.Read())
        {
            lastRow = reader.GetInt64(0);
            keys.Add(ReadRecord(reader, offset: 1));
        }

        var more = keys.Count == size && reader.Read();
        return new ApiKeyPage(keys, more ? lastRow.ToString(CultureInfo.InvariantCulture) : "");
    }

    /// <summary>Revokes a key (idempotent: an already revoked key keeps its first revocation time).</summary>
    public ApiKeyRecord Revoke(string keyId)
    {
        using var connection = Open();
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE api_keys SET revoked_at = coalesce(revoked_at, $now) WHERE key_id = $id";
        update.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        update.Parameters.AddWithValue("$id", keyId);
        if (update.ExecuteNonQuery() == 0)
        {
            throw Fail.NotFound("API_KEY_NOT_FOUND", $"API key '{keyId}' does not exist", ("key_id", keyId));
        }

        Volatile.Write(ref _stale, true);
        return Read(connection, keyId)!;
    }

    /// <summary>
    /// The current state of a key, or null when there is no such key. Served from the in-memory snapshot, which
    /// picks up changes made through this store at once, keys created elsewhere (the <c>apikey</c> command) at
    /// once, and other changes made elsewhere (revocations) within <see cref="ChangeCheckInterval"/>.
    /// </summary>
    public ApiKeyRecord? Find(string keyId)
    {
        var now = _time.GetTimestamp();
        var refreshed = Volatile.Read(ref _stale) || _time.GetElapsedTime(Volatile.Read(ref _lastCheck), now) >= ChangeCheckInterval;
        if (refreshed)
        {
            Refresh(now);
        }

        var key = Volatile.Read(ref _snapshot).GetValueOrDefault(keyId);
        if (key is null && !refreshed)
        {
            // An unknown id may be a key just created by the apikey command: look again before refusing it.
            Refresh(now);
            key = Volatile.Read(ref _snapshot).GetValueOrDefault(keyId);
        }

        return key;
    }
    private void Refresh(long now)
    {
        lock (_snapshotLock)
        {
            Volatile.Write(ref _stale, false);
            raw.sqlite3_step(_dataVersion);
            var version = raw.sqlite3_column_int64(_dataVersion, 0);
            raw.sqlite3_reset(_dataVersion);
            if (version != _snapshotVersion)
            {
                Volatile.Write(ref _snapshot, LoadAll(_watcher));
                _snapshotVersion = version;
            }

            Volatile.Write(ref _lastCheck, now);
        }
    }

    /// <summary>
    /// Whether <paramref name="token"/> is the secret of <paramref name="key"/>. Remembers the last secret that
    /// matched each key, so repeated calls skip the SHA-256 (several microseconds here) with a constant-time
    /// comparison; failures are never remembered.
    /// </summary>
    public bool Verify(string token, ApiKeyRecord key)
    {
        if (_verified.TryGetValue(key.KeyId, out var known)
            && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(known.AsSpan()), MemoryMarshal.AsBytes(token.AsSpan())))
        {
            return true;
        }

        if (!ApiKeySecret.Matches(token, key.SecretHash))
        {
            return false;
        }

        _verified[key.KeyId] = token;
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _dataVersion.Dispose();
        _watcher.Dispose();
    }

    private const string Columns = "key_id, name, scopes, secret_hash, created_at, expires_at, revoked_at";

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static Dictionary<string, ApiKeyRecord> LoadAll(SqliteConnection connection)
    {
        using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {Columns} FROM api_keys";
        using var reader = select.ExecuteReader();
        var keys = new Dictionary<string, ApiKeyRecord>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var record = ReadRecord(reader, offset: 0);
            keys[record.KeyId] = record;
        }

        return keys;
    }

    private static ApiKeyRecord? Read(SqliteConnection connection, string keyId)
    {
        using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {Columns} FROM api_keys WHERE key_id = $id";
        select.Parameters.AddWithValue("$id", keyId);
        using var reader = select.ExecuteReader();
        return reader.Read() ? ReadRecord(reader, offset: 0) : null;
    }

    private static ApiKeyRecord ReadRecord(SqliteDataReader reader, int offset) => new(
        reader.GetString(offset),
        reader.GetString(offset + 1),
        ParseScopes(reader.GetString(offset + 2)),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(offset + 4)),
        reader.IsDBNull(offset + 5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(offset + 5)),
        reader.IsDBNull(offset + 6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(offset + 6)),
        (byte[])reader[offset + 3]);

    private static string FormatScopes(IEnumerable<Access> scopes) =>
        string.Join(' ', scopes.Order().Select(ScopeNames.Of));

    private static HashSet<Access> ParseScopes(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(ScopeNames.All.ContainsKey)
            .Select(name => ScopeNames.All[name])
            .ToHashSet();

    // Stored with millisecond precision; return what a later read will return.
    private static DateTimeOffset Truncate(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
}
