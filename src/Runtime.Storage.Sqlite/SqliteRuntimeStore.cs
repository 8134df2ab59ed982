using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Runtime.Core.Errors;
using Runtime.Core.Events;
using Runtime.Core.Inputs;
using Runtime.Core.Runtimes;
using Runtime.Core.Storage;

namespace Runtime.Storage.Sqlite;

/// <summary>
/// The embedded ledger: one SQLite file in WAL mode under the data directory, one group-committing writer
/// (<see cref="GroupCommitWriter"/>) and a small pool of read connections. It is also the event log: runtime events
/// are written with the turns that produce them. And it keeps the other areas' small durable documents
/// (<see cref="IDocumentStore"/>), so one writer owns the file.
/// </summary>
public sealed class SqliteRuntimeStore(IOptions<SqliteStoreOptions> options, TimeProvider? time = null) : IRuntimeStore, IEventLog, IDocumentStore
{
    private readonly SqliteStoreOptions _options = options.Value;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private StoreMaintenance? _maintenance;
    private readonly Lock _listenLock = new();
    private readonly SemaphoreSlim _opening = new(1, 1);
    private readonly List<IEventLogListener> _listeners = [];
    private volatile bool _closed;
    private SqliteConnection? _writeConnection;
    private GroupCommitWriter? _writer;
    private ReaderPool? _readers;

    /// <summary>The database file.</summary>
    public string DatabasePath => _options.DatabasePath;

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        // Whoever needs the store first opens it (the runtime host at start, or the destinations loading before it).
        await _opening.WaitAsync(cancellationToken);
        try
        {
            if (_closed)
            {
                throw NotOpen();
            }

            if (_writer is null)
            {
                Open();
            }
        }
        finally
        {
            _opening.Release();
        }
    }

    private void Open()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();

        _writeConnection = new SqliteConnection(connectionString);
        _writeConnection.Open();
        using (var pragma = _writeConnection.CreateCommand())
        {
            // The writer's page cache stays small (8 MiB holds the pages appends touch: the B-tree tails and their
            // parents): SQLite walks the cache's whole hash table at the end of every transaction, and with a 64 MiB
            // cache that walk was the writer's single biggest cost per commit.
            var synchronous = _options.Synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL";
            pragma.CommandText =
                $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous}; PRAGMA busy_timeout = 5000; " +
                "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -8192; " +
                // Checkpoints are the maintenance's job, on its own connection; the writer does one only if that
                // falls far behind (about 400 MiB of WAL), as a backstop.
                "PRAGMA wal_autocheckpoint = 100000;";
            pragma.ExecuteNonQuery();
        }

        Schema.Migrate(_writeConnection, _options.DataDirectory);
        _readers = new ReaderPool(connectionString, Math.Max(1, _options.ReaderConnections));
        var writer = new GroupCommitWriter(_writeConnection, _options.MaxAppendsPerTransaction,
            Schema.NextJournalKey(_writeConnection), Schema.LastEventSequence(_writeConnection));
        lock (_listenLock)
        {
            foreach (var listener in _listeners)
            {
                writer.Listen(listener);
            }

            _writer = writer;
        }

        _maintenance = new StoreMaintenance(connectionString, writer, _options, _time);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> ReadAllAsync(string collection, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        return await Readers.ReadAsync<IReadOnlyDictionary<string, string>>(reader =>
        {
            var command = reader.Command("SELECT key, body FROM documents WHERE collection = $collection ORDER BY key");
            command.Parameters.AddWithValue("$collection", collection);
            using var rows = command.ExecuteReader();
            var documents = new Dictionary<string, string>(StringComparer.Ordinal);
            while (rows.Read())
            {
                documents[rows.GetString(0)] = rows.GetString(1);
            }

            return documents;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> WriteAsync(string collection, string key, string? document, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        return await Writer.WriteDocumentAsync(collection, key, document);
    }

    /// <inheritdoc />
    public void Listen(IEventLogListener listener)
    {
        lock (_listenLock)
        {
            _listeners.Add(listener);
            _writer?.Listen(listener);
        }
    }

    /// <inheritdoc />
    public async Task AppendAsync(IReadOnlyList<RuntimeEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count > 0)
        {
            // Destinations report their wires while the host starts: the first report may open the store.
            await InitializeAsync(cancellationToken);
            await Writer.AppendEventsAsync(events);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SequencedEvent>> ReadAsync(long afterSequence, int maxEvents, CancellationToken cancellationToken) =>
        Readers.ReadAsync<IReadOnlyList<SequencedEvent>>(reader =>
        {
            // From the row holding afterSequence + 1 (or the first one after it), in order.
            var command = reader.Command(
                "SELECT first_seq, body FROM events WHERE first_seq >= coalesce(" +
                "(SELECT first_seq FROM events WHERE first_seq <= $wanted ORDER BY first_seq DESC LIMIT 1), 0) " +
                "ORDER BY first_seq LIMIT $rows");
            command.Parameters.AddWithValue("$wanted", afterSequence + 1);
            command.Parameters.AddWithValue("$rows", Math.Max(1, maxEvents));
            using var rows = command.ExecuteReader();
            var events = new List<SequencedEvent>();
            while (events.Count < maxEvents && rows.Read())
            {
                var first = rows.GetInt64(0);
                var body = (byte[])rows.GetValue(1);
                var skip = (int)Math.Max(0, afterSequence + 1 - first);
                var decoded = EventCodec.Read(body, skip, maxEvents - events.Count);
                for (var i = 0; i < decoded.Count; i++)
                {
                    events.Add(new SequencedEvent(first + skip + i, decoded[i]));
                }
            }

            return events;
        }, cancellationToken);

    /// <inheritdoc />
    public Task AppendAsync(LedgerAppend append, CancellationToken cancellationToken) => Writer.AppendAsync(append);

    /// <inheritdoc />
    public Task<RuntimeRecord?> FindRuntimeAsync(string runtimeId, CancellationToken cancellationToken) =>
        Readers.ReadAsync(reader => FindRuntime(reader, runtimeId), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RuntimeRecord>> ListRuntimesAsync(RuntimeListFilter filter, CancellationToken cancellationToken) =>
        Readers.ReadAsync<IReadOnlyList<RuntimeRecord>>(reader =>
        {
            var sql = new StringBuilder($"SELECT {RowCodec.RuntimeColumns} FROM runtimes WHERE id > $after");
            if (filter.States.Count > 0)
            {
                sql.Append(" AND state IN (").AppendJoin(", ", filter.States.Select(s => ((int)s).ToString(CultureInfo.InvariantCulture))).Append(')');
            }

            if (filter.IdPrefix.Length > 0)
            {
                sql.Append(" AND substr(id, 1, length($prefix)) = $prefix");
            }

            var labels = filter.Labels.ToList();
            for (var i = 0; i < labels.Count; i++)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND json_extract(labels, $lp{i}) = $lv{i}");
            }

            sql.Append(" ORDER BY id LIMIT $limit");
            var command = reader.Command(sql.ToString());
            command.Parameters.AddWithValue("$after", filter.AfterId);
            if (filter.IdPrefix.Length > 0)
            {
                command.Parameters.AddWithValue("$prefix", filter.IdPrefix);
            }

            for (var i = 0; i < labels.Count; i++)
            {
                command.Parameters.AddWithValue($"$lp{i}", $"$.\"{labels[i].Key}\"");
                command.Parameters.AddWithValue($"$lv{i}", labels[i].Value);
            }

            command.Parameters.AddWithValue("$limit", filter.Limit);
            using var rows = command.ExecuteReader();
            var result = new List<RuntimeRecord>();
            while (rows.Read())
            {
                result.Add(RowCodec.ReadRuntime(rows));
            }

            return result;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListRuntimesToRecoverAsync(CancellationToken cancellationToken) =>
        Readers.ReadAsync<IReadOnlyList<string>>(reader =>
        {
            var command = reader.Command(
                "SELECT id FROM runtimes WHERE live_floor < next_position " +
                "OR state IN ($initializing, $running, $recovering, $retired) ORDER BY id");
            command.Parameters.AddWithValue("$initializing", (int)RuntimeState.Initializing);
            command.Parameters.AddWithValue("$running", (int)RuntimeState.Running);
            command.Parameters.AddWithValue("$recovering", (int)RuntimeState.Recovering);
            command.Parameters.AddWithValue("$retired", (int)RuntimeState.Retired);
            using var rows = command.ExecuteReader();
            var ids = new List<string>();
            while (rows.Read())
            {
                ids.Add(rows.GetString(0));
            }

            return ids;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<LedgerSnapshot?> LoadAsync(string runtimeId, CancellationToken cancellationToken) =>
        Readers.ReadAsync(reader =>
        {
            var runtime = FindRuntime(reader, runtimeId);
            if (runtime is null)
            {
                return null;
            }

            // Everything below the live floor is terminal: the journal is read from there on.
            var journal = new JournalReader(reader, runtime);
            var live = journal.Range(runtime.LiveFloor, runtime.NextPosition - 1)
                .Where(i => !Enum.IsDefined(i.Phase) || !InputPhaseMachine.IsTerminal(i.Phase)).ToList();
            var runs = journal.OpenRuns();
            var receipts = new Dictionary<long, ReceiptRecord>();
            foreach (var input in live.Where(i => i.LastBoundarySequence > 0 && i.LastRunId.Length > 0))
            {
                if (!receipts.ContainsKey(input.LastBoundarySequence) && journal.Run(input.LastRunId) is { Receipt: { } receipt } &&
                    receipt.Sequence == input.LastBoundarySequence)
                {
                    receipts[receipt.Sequence] = receipt;
                }
            }

            var command = reader.Command("SELECT coalesce(max(seq), 0) FROM turns WHERE rk = $rk");
            command.Parameters.AddWithValue("$rk", runtime.Key);
            var highest = (long)command.ExecuteScalar()!;
            return new LedgerSnapshot(runtime, live, runs, receipts, highest, journal.Problems);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<InputRecord?> FindInputAsync(long runtimeKey, string inputId, CancellationToken cancellationToken) =>
        Readers.ReadAsync(reader => Journal(reader, runtimeKey)?.FindById(inputId), cancellationToken);

    /// <inheritdoc />
    public Task<(IReadOnlyDictionary<string, InputRecord> ByKey, IReadOnlyDictionary<string, InputRecord> ById)> FindExistingAsync(
        long runtimeKey, IReadOnlyCollection<string> idempotencyKeys, IReadOnlyCollection<string> inputIds, CancellationToken cancellationToken) =>
        Readers.ReadAsync<(IReadOnlyDictionary<string, InputRecord>, IReadOnlyDictionary<string, InputRecord>)>(reader =>
        {
            var byKey = new Dictionary<string, InputRecord>(StringComparer.Ordinal);
            var byId = new Dictionary<string, InputRecord>(StringComparer.Ordinal);
            if (Journal(reader, runtimeKey) is not { } journal)
            {
                return (byKey, byId);
            }

            foreach (var key in idempotencyKeys)
            {
                if (journal.FindByIdempotencyKey(key) is { } found)
                {
                    byKey[key] = found;
                }
            }

            foreach (var id in inputIds)
            {
                if (journal.FindById(id) is { } found)
                {
                    byId[id] = found;
                }
            }

            return (byKey, byId);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<InputRecord>> ListInputsAsync(long runtimeKey, IReadOnlyCollection<InputPhase> phases, long afterPosition,
        int limit, CancellationToken cancellationToken) =>
        Readers.ReadAsync<IReadOnlyList<InputRecord>>(
            reader => Journal(reader, runtimeKey)?.Scan(phases, afterPosition, limit) ?? [], cancellationToken);

    /// <inheritdoc />
    public Task<ReceiptRecord?> FindReceiptAsync(long runtimeKey, string runId, long sequence, CancellationToken cancellationToken) =>
        Readers.ReadAsync(reader =>
            Journal(reader, runtimeKey)?.Run(runId) is { Receipt: { } receipt } && receipt.Sequence == sequence ? receipt : null,
            cancellationToken);

    /// <inheritdoc />
    public Task<RunRecord?> FindRunAsync(long runtimeKey, string runId, CancellationToken cancellationToken) =>
        Readers.ReadAsync(reader => Journal(reader, runtimeKey)?.Run(runId)?.Run, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _closed = true;
        if (_maintenance is not null)
        {
            await _maintenance.DisposeAsync();
            _maintenance = null;
        }

        _writer?.Dispose();
        _readers?.Dispose();
        _writeConnection?.Dispose();
        _writer = null;
    }

    /// <summary>
    /// Runs the store's maintenance now instead of at its next tick (a checkpoint and one retention pass); returns the
    /// events rows dropped.
    /// </summary>
    public Task<int> RunMaintenanceAsync() => _maintenance?.RunOnceAsync() ?? Task.FromResult(0);

    private GroupCommitWriter Writer => _writer ?? throw NotOpen();

    private ReaderPool Readers => _readers ?? throw NotOpen();

    private static RuntimeException NotOpen() =>
        new(ErrorKind.Unavailable, "STORE_CLOSED", "The ledger store is not open.");

    private static RuntimeRecord? FindRuntime(ReaderPool.Reader reader, string runtimeId)
    {
        var command = reader.Command($"SELECT {RowCodec.RuntimeColumns} FROM runtimes WHERE id = $id");
        command.Parameters.AddWithValue("$id", runtimeId);
        using var rows = command.ExecuteReader();
        return rows.Read() ? RowCodec.ReadRuntime(rows) : null;
    }

    /// <summary>A journal reader for the runtime with this key, or null when there is none.</summary>
    private static JournalReader? Journal(ReaderPool.Reader reader, long runtimeKey)
    {
        var command = reader.Command($"SELECT {RowCodec.RuntimeColumns} FROM runtimes WHERE rk = $rk");
        command.Parameters.AddWithValue("$rk", runtimeKey);
        using var rows = command.ExecuteReader();
        return rows.Read() ? new JournalReader(reader, RowCodec.ReadRuntime(rows)) : null;
    }
}
