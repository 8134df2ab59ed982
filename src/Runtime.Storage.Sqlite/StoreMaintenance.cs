using Microsoft.Data.Sqlite;

namespace Runtime.Storage.Sqlite;

/// <summary>
/// The store's housekeeping, off the writer's thread: every <see cref="SqliteStoreOptions.MaintenanceInterval"/> a
/// passive WAL checkpoint on a connection of its own (it copies committed pages into the database without taking the
/// write lock, so a commit never waits for one), then a bounded pass that drops events past retention through the
/// writer (as part of its next group commit). One pass at a time; a pass that fails is tried again at the next tick.
/// </summary>
internal sealed class StoreMaintenance : IAsyncDisposable
{
    // Rows of the events table dropped per pass: each is a whole group commit's events, so this bounds the work one
    // commit carries for retention, and a long backlog is worked off over several ticks.
    private const int TrimRowsPerPass = 2_000;

    private readonly SqliteConnection _connection;
    private readonly GroupCommitWriter _writer;
    private readonly SqliteStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly SemaphoreSlim _running = new(1, 1);
    private bool _disposed;

    public StoreMaintenance(string connectionString, GroupCommitWriter writer, SqliteStoreOptions options, TimeProvider time)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        _writer = writer;
        _options = options;
        _time = time;
        _timer = time.CreateTimer(_ => _ = RunOnceAsync(skipIfBusy: true), null, options.MaintenanceInterval, options.MaintenanceInterval);
    }

    /// <summary>
    /// Runs one pass: a checkpoint, then one retention step; returns the events rows dropped. A tick skips its pass
    /// while the previous one is still going; a caller waits for it and then runs its own.
    /// </summary>
    public async Task<int> RunOnceAsync(bool skipIfBusy = false)
    {
        if (!await _running.WaitAsync(skipIfBusy ? TimeSpan.Zero : Timeout.InfiniteTimeSpan))
        {
            return 0;
        }

        try
        {
            if (_disposed)
            {
                return 0;
            }

            using (var checkpoint = _connection.CreateCommand())
            {
                checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                checkpoint.ExecuteNonQuery();
            }

            var keepFrom = _writer.LastEventSequence - _options.MaxRetainedEvents + 1;
            return await _writer.TrimEventsAsync(_time.GetUtcNow() - _options.EventRetention, keepFrom, TrimRowsPerPass);
        }
#pragma warning disable CA1031 // Housekeeping must not bring the store down; the next tick tries again.
        catch (Exception)
#pragma warning restore CA1031
        {
            return 0;
        }
        finally
        {
            _running.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync();
        await _running.WaitAsync();
        _disposed = true;
        _connection.Dispose();
        _running.Release();
    }
}
