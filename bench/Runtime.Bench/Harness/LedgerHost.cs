using Microsoft.Extensions.Options;
using Runtime.Core.Delivery;
using Runtime.Core.Hosting;
using Runtime.Storage.Sqlite;

namespace Runtime.Bench.Harness;

/// <summary>
/// A runtime host in this process over a real SQLite ledger in <paramref name="dataDirectory"/>: what the server
/// hosts, without gRPC in front (for scenarios about the core's memory and recovery, not the wire).
/// </summary>
public sealed class LedgerHost(string dataDirectory, RuntimeHostOptions options, SqliteSynchronous synchronous) : IAsyncDisposable
{
    private SqliteRuntimeStore? _store;

    /// <summary>The host (after <see cref="StartAsync"/>).</summary>
    public RuntimeHost Host { get; private set; } = null!;

    /// <summary>The ledger file.</summary>
    public string DatabasePath => Path.Combine(dataDirectory, "runtime.db");

    /// <summary>Opens the ledger and starts the host (which recovers every runtime with unfinished work).</summary>
    public async Task StartAsync()
    {
        _store = new SqliteRuntimeStore(Options.Create(new SqliteStoreOptions { DataDirectory = dataDirectory, Synchronous = synchronous }));
        Host = new RuntimeHost(_store, new InProcessDeliveryPort(), options: Options.Create(options));
        await Host.StartAsync(CancellationToken.None);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }
}
