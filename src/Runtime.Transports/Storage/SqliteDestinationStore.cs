using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Runtime.Transports.Destinations;

namespace Runtime.Transports.Storage;

/// <summary>
/// Destination definitions in their own table of a SQLite file. The file may be shared with the ledger: WAL mode
/// and a busy timeout let this store's short transactions coexist with another writer's connection.
/// </summary>
public sealed class SqliteDestinationStore : IDestinationStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS transport_destinations (
            name        TEXT PRIMARY KEY NOT NULL,
            wires       TEXT NOT NULL,
            create_time INTEGER NOT NULL
        );
        """;

    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;
    private int _initialised;

    /// <summary>Creates a store over the SQLite file at <paramref name="path"/> (created when missing).</summary>
    /// <param name="path">The database file.</param>
    /// <param name="busyTimeout">How long to wait for another connection's write lock.</param>
    public SqliteDestinationStore(string path, TimeSpan? busyTimeout = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _busyTimeoutMs = (int)(busyTimeout ?? TimeSpan.FromSeconds(5)).TotalMilliseconds;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, _busyTimeoutMs / 1000),
        }.ToString();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DestinationDefinition>> LoadAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, wires, create_time FROM transport_destinations ORDER BY name";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var definitions = new List<DestinationDefinition>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var wires = JsonSerializer.Deserialize<StoredWire[]>(reader.GetString(1)) ?? [];
            definitions.Add(new DestinationDefinition(
                reader.GetString(0),
                [.. wires.Select(w => new WireDefinition(w.Kind, w.Address, w.Priority))],
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
        }

        return definitions;
    }

    /// <inheritdoc />
    public async Task UpsertAsync(DestinationDefinition definition, CancellationToken cancellationToken)
    {
        var wires = JsonSerializer.Serialize(definition.Wires.Select(w => new StoredWire(w.Kind, w.Address, w.Priority)));
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO transport_destinations (name, wires, create_time) VALUES ($name, $wires, $time)
            ON CONFLICT (name) DO UPDATE SET wires = excluded.wires, create_time = excluded.create_time
            """;
        command.Parameters.AddWithValue("$name", definition.Name);
        command.Parameters.AddWithValue("$wires", wires);
        command.Parameters.AddWithValue("$time", definition.CreateTime.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM transport_destinations WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using (var pragma = connection.CreateCommand())
            {
                // Per connection: wait for a concurrent writer (the ledger) instead of failing with SQLITE_BUSY.
                pragma.CommandText = $"PRAGMA busy_timeout = {_busyTimeoutMs};";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }

            if (Volatile.Read(ref _initialised) == 0)
            {
                // Idempotent, so two first callers racing here is harmless; marked done only once it succeeded.
                await using var setup = connection.CreateCommand();
                setup.CommandText = "PRAGMA journal_mode = WAL;" + Schema;
                await setup.ExecuteNonQueryAsync(cancellationToken);
                Volatile.Write(ref _initialised, 1);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed record StoredWire(
        [property: JsonConverter(typeof(JsonStringEnumConverter<WireKind>))] WireKind Kind,
        string Address,
        int Priority);
}
