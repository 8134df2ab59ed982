using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Runtime.Core.Errors;
using Runtime.Core.Events;
using Runtime.Core.Storage;

namespace Runtime.Storage.Sqlite;

/// <summary>
/// The one writer. Appends from every runtime queue in a channel; a dedicated thread drains whatever is waiting into
/// one transaction (a fenced-off append fails alone: see <see cref="Commit"/>), commits, and only then completes each
/// caller's task. Under load one fsync covers thousands of inputs. The events of a commit go to the event log's
/// listener right after it, before any caller hears of it, so they are published in commit order and only once durable.
/// </summary>
internal sealed class GroupCommitWriter : IDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly WriteCommands _commands;
    private readonly int _maxAppends;
    private readonly Thread _thread;
    private readonly Lock _listenerLock = new();
    private IEventLogListener[] _listeners = [];

    public GroupCommitWriter(SqliteConnection connection, int maxAppendsPerTransaction, long nextJournalKey, long lastEventSequence)
    {
        _connection = connection;
        _maxAppends = Math.Max(1, maxAppendsPerTransaction);
        _commands = new WriteCommands(connection.Handle!, nextJournalKey, lastEventSequence);
        _thread = new Thread(Run) { IsBackground = true, Name = "runtime-ledger-writer" };
        _thread.Start();
    }

    /// <summary>Queues an append; the task completes after its transaction committed (or fails with why).</summary>
    public Task AppendAsync(LedgerAppend append) => Enqueue(new Pending(append)).Completion.Task;

    /// <summary>The last event sequence committed.</summary>
    public long LastEventSequence
    {
        get
        {
            lock (_listenerLock)
            {
                return _commands.LastEventSequence;
            }
        }
    }

    /// <summary>Queues events that belong to no append; the task completes once they committed.</summary>
    public Task AppendEventsAsync(IReadOnlyList<RuntimeEvent> events) => WriteAsync(c =>
    {
        c.AddEvents(events);
        return 0;
    });

    /// <summary>Drops events past retention (see <see cref="WriteCommands.TrimEvents"/>) in the next commit; returns the rows dropped.</summary>
    public Task<int> TrimEventsAsync(DateTimeOffset before, long keepFrom, int maxRows) =>
        WriteAsync(c => c.TrimEvents(before, keepFrom, maxRows));

    /// <summary>Writes (or deletes) one document in the next commit; returns whether one existed before.</summary>
    public async Task<bool> WriteDocumentAsync(string collection, string key, string? body) =>
        await WriteAsync(c => c.WriteDocument(collection, key, body) ? 1 : 0) > 0;

    /// <summary>Hands every commit's events to <paramref name="listener"/> (too) from the next commit on.</summary>
    public void Listen(IEventLogListener listener)
    {
        lock (_listenerLock)
        {
            _listeners = [.. _listeners, listener];
            listener.Opened(_commands.LastEventSequence);
        }
    }

    /// <summary>Queues a write that is not a runtime's append; completes with what it returned once committed.</summary>
    private async Task<int> WriteAsync(Func<WriteCommands, int> write)
    {
        var pending = Enqueue(new Pending(null, write));
        await pending.Completion.Task;
        return pending.Result;
    }

    private Pending Enqueue(Pending pending) =>
        _queue.Writer.TryWrite(pending)
            ? pending
            : throw new RuntimeException(ErrorKind.Unavailable, "STORE_CLOSED", "The ledger store is closed.");

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _thread.Join();
        _commands.Dispose();
    }

    private void Run()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(_maxAppends);
        while (WaitForWork(reader))
        {
            while (batch.Count < _maxAppends && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                Commit(batch);
            }
#pragma warning disable CA1031 // The writer thread must outlive any one batch; its callers get the error.
            catch (Exception e)
#pragma warning restore CA1031
            {
                TryRollback();
                FailAll(batch, Failure(e));
            }

            batch.Clear();
        }
    }

    // Blocks on the task's kernel event: Task.Wait would spin first, and on a busy machine an idle writer spinning
    // between commits takes CPU from the threads that produce its work.
    private static bool WaitForWork(ChannelReader<Pending> reader)
    {
        var waiting = reader.WaitToReadAsync();
        if (waiting.IsCompleted)
        {
            return waiting.GetAwaiter().GetResult();
        }

        var task = waiting.AsTask();
        ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
        return task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Commits the batch in one transaction. Appends are written back to back without savepoints (a savepoint makes
    /// SQLite copy every page it touches to a sub-journal first); when one fails, the whole transaction is rolled back
    /// and the batch is written again with a savepoint per append, so the failed one fails alone.
    /// </summary>
    private void Commit(List<Pending> batch)
    {
        if (!Begin(batch))
        {
            return;
        }

        var failed = false;
        foreach (var pending in batch)
        {
            try
            {
                Write(pending);
            }
#pragma warning disable CA1031 // Any failure sends the batch down the careful path below, which reports it.
            catch (Exception)
#pragma warning restore CA1031
            {
                failed = true;
                break;
            }
        }

        if (failed)
        {
            TryRollback();
            if (!Begin(batch))
            {
                return;
            }

            ApplyEachInSavepoint(batch);
        }

        try
        {
            _commands.EndBatch();
            _commands.Exec("COMMIT");
        }
        catch (SqliteException e)
        {
            TryRollback();
            FailAll(batch, Unavailable(e));
            return;
        }

        var events = _commands.Committed();
        if (events.Count > 0)
        {
            Publish(events);
        }

        foreach (var pending in batch)
        {
            if (pending.Error is { } error)
            {
                pending.Completion.TrySetException(error);
            }
            else
            {
                pending.Completion.TrySetResult();
            }
        }
    }

    private void Write(Pending pending)
    {
        if (pending.Append is { } append)
        {
            _commands.Apply(append);
        }
        else
        {
            pending.Result = pending.Other!(_commands);
        }
    }

    private void Publish(IReadOnlyList<SequencedEvent> events)
    {
        lock (_listenerLock)
        {
            foreach (var listener in _listeners)
            {
                try
                {
                    listener.Committed(events);
                }
#pragma warning disable CA1031 // A listener that throws must not stop the ledger or the others; the events stay in the log.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }
        }
    }

    private bool Begin(List<Pending> batch)
    {
        try
        {
            _commands.Exec("BEGIN IMMEDIATE");
            _commands.BeginBatch();
            return true;
        }
        catch (SqliteException e)
        {
            FailAll(batch, Unavailable(e));
            return false;
        }
    }

    private void ApplyEachInSavepoint(List<Pending> batch)
    {
        foreach (var pending in batch)
        {
            _commands.Exec("SAVEPOINT append");
            try
            {
                Write(pending);
                _commands.Exec("RELEASE append");
            }
#pragma warning disable CA1031 // One bad append fails alone; the others in the transaction still commit.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _commands.Exec("ROLLBACK TO append");
                _commands.Exec("RELEASE append");
                pending.Error = Failure(e);
            }
        }
    }

    private void TryRollback()
    {
        try
        {
            _commands.Exec("ROLLBACK");
        }
        catch (SqliteException)
        {
            // Nothing to roll back: SQLite already ended the transaction.
        }
    }

    private static void FailAll(List<Pending> batch, RuntimeException error)
    {
        foreach (var pending in batch)
        {
            pending.Completion.TrySetException(error);
        }
    }

    private static RuntimeException Failure(Exception e) => e switch
    {
        RuntimeException known => known,
        SqliteException sqlite => Unavailable(sqlite),
        _ => new RuntimeException(ErrorKind.Internal, "STORE_WRITE_FAILED", $"The ledger store could not write: {e.Message}", inner: e),
    };

    private static RuntimeException Unavailable(SqliteException e) =>
        new(ErrorKind.Unavailable, "STORE_UNAVAILABLE", $"The ledger store failed: {e.Message}",
            new Dictionary<string, string> { ["sqlite_error"] = e.SqliteErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            inner: e);

    /// <summary>One queued write: a runtime's append (the hot path), or any other write the store makes through its writer.</summary>
    private sealed class Pending(LedgerAppend? append, Func<WriteCommands, int>? other = null)
    {
        public LedgerAppend? Append { get; } = append;

        public Func<WriteCommands, int>? Other { get; } = other;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public RuntimeException? Error { get; set; }

        /// <summary>What <see cref="Other"/> returned.</summary>
        public int Result { get; set; }
    }
}
