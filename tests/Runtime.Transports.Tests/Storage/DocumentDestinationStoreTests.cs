using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Runtime.Storage.Sqlite;
using Runtime.Transports.Destinations;
using Runtime.Transports.Storage;

namespace Runtime.Transports.Tests.Storage;

/// <summary>Destination definitions kept as documents of a real ledger store, through its one writer.</summary>
public sealed class DocumentDestinationStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "runtime-store-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Definitions_round_trip_through_the_ledger_store_and_survive_a_reopen()
    {
        var created = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var definition = new DestinationDefinition("d1", [
            new WireDefinition(WireKind.Grpc, "http://127.0.0.1:6000", 0),
            new WireDefinition(WireKind.InProcess, "accept", 3),
        ], created);
        await using (var ledger = Open())
        {
            await new DocumentDestinationStore(ledger).UpsertAsync(definition, CancellationToken.None);
        }

        await using var reopened = Open();
        var store = new DocumentDestinationStore(reopened);
        var loaded = Assert.Single(await store.LoadAllAsync(CancellationToken.None));

        Assert.True(loaded.SameShapeAs(definition));
        Assert.Equal(created, loaded.CreateTime);
        Assert.True(await store.DeleteAsync("d1", CancellationToken.None));
        Assert.False(await store.DeleteAsync("d1", CancellationToken.None));
        Assert.Empty(await store.LoadAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Definitions_an_earlier_version_kept_in_their_own_table_move_into_the_ledger()
    {
        Directory.CreateDirectory(_directory);
        await using (var legacy = new SqliteConnection($"Data Source={Path.Combine(_directory, "runtime.db")};Pooling=False"))
        {
            await legacy.OpenAsync();
            await using var command = legacy.CreateCommand();
            command.CommandText = """
                CREATE TABLE transport_destinations (name TEXT PRIMARY KEY NOT NULL, wires TEXT NOT NULL, create_time INTEGER NOT NULL);
                INSERT INTO transport_destinations VALUES ('old', '[{"Kind":"Grpc","Address":"http://127.0.0.1:7000","Priority":2}]', 1700000000000);
                """;
            await command.ExecuteNonQueryAsync();
        }

        await using var ledger = Open();
        var loaded = Assert.Single(await new DocumentDestinationStore(ledger).LoadAllAsync(CancellationToken.None));

        Assert.Equal("old", loaded.Name);
        Assert.Equal(new WireDefinition(WireKind.Grpc, "http://127.0.0.1:7000", 2), Assert.Single(loaded.Wires));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), loaded.CreateTime);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private SqliteRuntimeStore Open() => new(Options.Create(new SqliteStoreOptions { DataDirectory = _directory }));
}
