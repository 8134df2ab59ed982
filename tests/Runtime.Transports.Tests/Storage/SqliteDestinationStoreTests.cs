using Microsoft.Data.Sqlite;
using Runtime.Transports.Destinations;
using Runtime.Transports.Storage;
using Runtime.Transports.Tests.Support;

namespace Runtime.Transports.Tests.Storage;

public sealed class SqliteDestinationStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "runtime-store-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "runtime.db");

    [Fact]
    public async Task Definitions_round_trip_through_the_file()
    {
        var store = new SqliteDestinationStore(DatabasePath);
        var created = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var definition = new DestinationDefinition("d1", [
            new WireDefinition(WireKind.Grpc, "http://127.0.0.1:6000", 0),
            new WireDefinition(WireKind.InProcess, "accept", 3),
        ], created);

        await store.UpsertAsync(definition, CancellationToken.None);
        var loaded = Assert.Single(await new SqliteDestinationStore(DatabasePath).LoadAllAsync(CancellationToken.None));

        Assert.True(loaded.SameShapeAs(definition));
        Assert.Equal(created, loaded.CreateTime);
        Assert.True(await store.DeleteAsync("d1", CancellationToken.None));
        Assert.False(await store.DeleteAsync("d1", CancellationToken.None));
        Assert.Empty(await store.LoadAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Uses_WAL_and_waits_for_another_connections_write_lock()
    {
        var store = new SqliteDestinationStore(DatabasePath);
        await store.LoadAllAsync(CancellationToken.None);

        await using var other = new SqliteConnection($"Data Source={DatabasePath}");
        await other.OpenAsync();
        await using (var mode = other.CreateCommand())
        {
            mode.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", (string?)await mode.ExecuteScalarAsync());
        }

        // Another writer (the ledger, say) holds the write lock while the store tries to write.
        await using var transaction = other.BeginTransaction(deferred: false);
        await using (var write = other.CreateCommand())
        {
            write.Transaction = transaction;
            write.CommandText = "CREATE TABLE ledger_probe (x INTEGER)";
            await write.ExecuteNonQueryAsync();
        }

        // Microsoft.Data.Sqlite runs synchronously, so the waiting write gets a thread of its own.
        var upsert = Task.Run(() => store.UpsertAsync(
            new DestinationDefinition("d", [new WireDefinition(WireKind.InProcess, "accept")], DateTimeOffset.UnixEpoch),
            CancellationToken.None));
        await transaction.CommitAsync();
        await upsert.WaitAsync(Bounded.Timeout);

        Assert.Single(await store.LoadAllAsync(CancellationToken.None));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
