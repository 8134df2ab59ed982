using System.Buffers;
using Runtime.Core.Errors;
using Runtime.Core.Events;
using Runtime.Core.Inputs;
using Runtime.Core.Storage;
using SQLitePCL;

namespace Runtime.Storage.Sqlite;

/// <summary>
/// The writer's prepared statements; only the writer thread uses them. What one group commit writes (see
/// <see cref="Schema"/>): one journal row holding the Accepted records of every append in it, and per append its
/// runtime row (fenced), one turn row, one accepted-range row, and only the sparse rest: keys of keyed inputs and
/// client-chosen ids, whole states of inputs off the common path, and its runs (with their receipts); and one events
/// row holding the runtime events of every append in it, numbered from the next global sequence on.
/// Row writes say <c>OR FAIL</c>: each writes one row whose constraints are checked before anything is written, so
/// there is nothing for a statement journal to undo (the append's transaction or savepoint still undoes it).
/// </summary>
internal sealed class WriteCommands : IDisposable
{
    private const int Constraint = 19;

    private readonly sqlite3 _db;
    private readonly Dictionary<string, RawStatement> _plain = new(StringComparer.Ordinal);
    private readonly RawStatement _insertRuntime;
    private readonly RawStatement _updateRuntime;
    private readonly RawStatement _insertTurn;
    private readonly RawStatement _insertAccepted;
    private readonly RawStatement _insertKey;
    private readonly RawStatement _upsertState;
    private readonly RawStatement _upsertRun;
    private readonly RawStatement _insertJournal;
    private readonly RawStatement _insertEvents;
    private readonly RawStatement _trimEvents;
    private readonly RawStatement _upsertDocument;
    private readonly RawStatement _deleteDocument;
    private readonly ArrayBufferWriter<byte> _journal = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _eventBytes = new(64 * 1024);
    private readonly List<SequencedEvent> _batchEvents = [];
    private long _journalKey;
    private long _lastEventSequence;

    public WriteCommands(sqlite3 db, long nextJournalKey, long lastEventSequence)
    {
        _db = db;
        _journalKey = nextJournalKey;
        _lastEventSequence = lastEventSequence;
        _insertRuntime = new RawStatement(db,
            "INSERT INTO runtimes (id, state, destination, policy, labels, retiring, counts, ledger_seq, owner_epoch, " +
            "boundary_seq, next_position, live_floor, created_at, updated_at) " +
            "VALUES (?1, ?2, coalesce(?3, ''), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING rk");
        // Policy and labels are fixed at creation, so appends do not rewrite them.
        _updateRuntime = new RawStatement(db,
            "UPDATE OR FAIL runtimes SET state = ?1, destination = coalesce(?2, ''), retiring = ?3, counts = ?4, ledger_seq = ?5, " +
            "owner_epoch = ?6, boundary_seq = ?7, next_position = ?8, live_floor = ?9, updated_at = ?10 " +
            "WHERE rk = ?11 AND ledger_seq = ?12 AND owner_epoch <= ?6");
        _insertTurn = new RawStatement(db, "INSERT OR FAIL INTO turns (rk, seq, epoch, kind, at) VALUES (?1, ?2, ?3, coalesce(?4, ''), ?5)");
        _insertAccepted = new RawStatement(db,
            "INSERT OR FAIL INTO accepted (rk, first_pos, count, jk, offset, length) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        _insertKey = new RawStatement(db, "INSERT OR FAIL INTO input_keys (rk, kind, key, position) VALUES (?1, ?2, ?3, ?4)");
        _upsertState = new RawStatement(db,
            "INSERT OR REPLACE INTO input_states (rk, position, phase, abandon_reason, attempts, recoveries, last_run_id, " +
            "last_boundary_seq, last_error, next_attempt_at, history, updated_at) " +
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce(?7, ''), ?8, coalesce(?9, ''), ?10, coalesce(?11, ''), ?12)");
        _upsertRun = new RawStatement(db,
            "INSERT INTO runs (rk, run_id, status, positions, first_pos, last_pos, started_at, ended_at, error, receipt_seq, digest, receipt_at) " +
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, coalesce(?9, ''), ?10, ?11, ?12) " +
            "ON CONFLICT (rk, run_id) DO UPDATE SET status = excluded.status, ended_at = excluded.ended_at, error = excluded.error, " +
            "receipt_seq = coalesce(excluded.receipt_seq, receipt_seq), digest = coalesce(excluded.digest, digest), " +
            "receipt_at = coalesce(excluded.receipt_at, receipt_at)");
        _insertJournal = new RawStatement(db, "INSERT OR FAIL INTO journal (jk, body) VALUES (?1, ?2)");
        _insertEvents = new RawStatement(db, "INSERT OR FAIL INTO events (first_seq, count, at, body) VALUES (?1, ?2, ?3, ?4)");
        _upsertDocument = new RawStatement(db,
            "INSERT INTO documents (collection, key, body) VALUES (?1, ?2, ?3) ON CONFLICT (collection, key) DO UPDATE SET body = excluded.body");
        _deleteDocument = new RawStatement(db, "DELETE FROM documents WHERE collection = ?1 AND key = ?2");
        _trimEvents = new RawStatement(db,
            "DELETE FROM events WHERE first_seq IN (SELECT first_seq FROM events WHERE at < ?1 OR first_seq + count <= ?2 " +
            "ORDER BY first_seq LIMIT ?3)");
    }

    /// <summary>The last event sequence committed.</summary>
    public long LastEventSequence => _lastEventSequence;

    /// <summary>Runs a statement without parameters (BEGIN, SAVEPOINT, COMMIT...).</summary>
    public void Exec(string sql)
    {
        if (!_plain.TryGetValue(sql, out var statement))
        {
            statement = new RawStatement(_db, sql);
            _plain[sql] = statement;
        }

        statement.Run();
    }

    /// <summary>Starts a group commit's journal row (call after BEGIN).</summary>
    public void BeginBatch()
    {
        _journal.ResetWrittenCount();
        _batchEvents.Clear();
    }

    /// <summary>Writes the group commit's journal row and events row, each if there is anything for it (call before COMMIT).</summary>
    public void EndBatch()
    {
        if (_journal.WrittenCount > 0)
        {
            _insertJournal.Int(1, _journalKey).Blob(2, _journal.WrittenSpan).Run();
        }

        if (_batchEvents.Count > 0)
        {
            var events = new RuntimeEvent[_batchEvents.Count];
            for (var i = 0; i < events.Length; i++)
            {
                events[i] = _batchEvents[i].Event;
            }

            _eventBytes.ResetWrittenCount();
            EventCodec.Write(_eventBytes, events);
            _insertEvents.Int(1, _batchEvents[0].Sequence).Int(2, events.Length).Int(3, _batchEvents[^1].Event.Time.UtcTicks)
                .Blob(4, _eventBytes.WrittenSpan).Run();
        }
    }

    /// <summary>
    /// The batch committed: the next one writes the next journal row, and its events' sequences are final. Returns
    /// those events (empty for none); the list is reused by the next batch.
    /// </summary>
    public IReadOnlyList<SequencedEvent> Committed()
    {
        if (_journal.WrittenCount > 0)
        {
            _journalKey++;
        }

        if (_batchEvents.Count > 0)
        {
            _lastEventSequence = _batchEvents[^1].Sequence;
        }

        return _batchEvents;
    }

    /// <summary>
    /// Drops up to <paramref name="maxRows"/> events rows committed before <paramref name="before"/> or holding only
    /// sequences below <paramref name="keepFrom"/>, oldest first (ranges: a row goes whole). Returns the rows dropped.
    /// </summary>
    public int TrimEvents(DateTimeOffset before, long keepFrom, int maxRows) =>
        _trimEvents.Int(1, before.UtcTicks).Int(2, keepFrom).Int(3, maxRows).Run();

    /// <summary>Writes (or deletes, for a null body) one document; returns whether one existed before.</summary>
    public bool WriteDocument(string collection, string key, string? body)
    {
        var existed = _deleteDocument.Text(1, collection).Text(2, key).Run() > 0;
        if (body is not null)
        {
            _upsertDocument.Text(1, collection).Text(2, key).Text(3, body).Run();
        }

        return existed;
    }

    /// <summary>Numbers events that belong to no append (destinations and wires) into this batch.</summary>
    public void AddEvents(IReadOnlyList<RuntimeEvent> events) => Number(events);

    /// <summary>Writes one append (inside the caller's transaction or savepoint); throws ABORTED when fenced off.</summary>
    public void Apply(LedgerAppend append)
    {
        var journalLength = _journal.WrittenCount;
        try
        {
            Write(append);
        }
        catch
        {
            // The caller rolls the append's rows back; its Accepted record goes from the journal row too.
            Truncate(journalLength);
            throw;
        }

        if (append.Events.Count > 0)
        {
            append.FirstEventSequence = Number(append.Events);
        }
    }

    /// <summary>Gives events the next sequences of the batch; returns the first.</summary>
    private long Number(IReadOnlyList<RuntimeEvent> events)
    {
        var first = (_batchEvents.Count > 0 ? _batchEvents[^1].Sequence : _lastEventSequence) + 1;
        for (var i = 0; i < events.Count; i++)
        {
            _batchEvents.Add(new SequencedEvent(first + i, events[i]));
        }

        return first;
    }

    public void Dispose()
    {
        foreach (var statement in _plain.Values)
        {
            statement.Dispose();
        }

        foreach (var statement in new[] { _insertRuntime, _updateRuntime, _insertTurn, _insertAccepted, _insertKey, _upsertState, _upsertRun, _insertJournal, _insertEvents, _trimEvents, _upsertDocument, _deleteDocument })
        {
            statement.Dispose();
        }
    }

    private void Write(LedgerAppend append)
    {
        var runtime = append.Runtime;
        var sequence = append.ExpectedSequence + 1;
        if (append.CreatesRuntime)
        {
            InsertRuntime(runtime, sequence, append.OwnerEpoch);
        }
        else
        {
            UpdateRuntime(runtime, append.ExpectedSequence, sequence, append.OwnerEpoch);
        }

        var rk = runtime.Key;
        try
        {
            _insertTurn.Int(1, rk).Int(2, sequence).Int(3, append.OwnerEpoch).Text(4, append.Kind).Int(5, runtime.UpdatedAt.UtcTicks).Run();
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == Constraint)
        {
            throw Fenced(runtime.RuntimeId, $"ledger sequence {sequence} was already written", append);
        }

        if (append.Inserted.Count > 0)
        {
            InsertAccepted(rk, runtime.RuntimeId, append.Inserted);
        }

        foreach (var input in append.Updated)
        {
            UpsertState(rk, input);
        }

        foreach (var run in append.Runs)
        {
            UpsertRun(rk, run, append.Receipts);
        }

        foreach (var receipt in append.Receipts)
        {
            if (!append.Runs.Any(r => r.RunId == receipt.RunId))
            {
                throw new InvalidOperationException($"Receipt {receipt.Sequence} of run '{receipt.RunId}' came without its run.");
            }
        }
    }

    private void InsertAccepted(long rk, string runtimeId, IReadOnlyList<InputRecord> inputs)
    {
        var first = inputs[0].Position;
        for (var i = 1; i < inputs.Count; i++)
        {
            if (inputs[i].Position != first + i)
            {
                throw new InvalidOperationException($"Accepted inputs of runtime '{runtimeId}' are not at consecutive positions.");
            }
        }

        var offset = _journal.WrittenCount;
        JournalCodec.WriteAccepted(_journal, inputs);
        _insertAccepted.Int(1, rk).Int(2, first).Int(3, inputs.Count).Int(4, _journalKey).Int(5, offset)
            .Int(6, _journal.WrittenCount - offset).Run();
        foreach (var input in inputs)
        {
            if (input.IdempotencyKey.Length > 0)
            {
                InsertKey(rk, InputKeyKind.IdempotencyKey, input.IdempotencyKey, input);
            }

            if (!TimeOrderedId.TryReadPosition(input.InputId, out var position) || position != input.Position)
            {
                InsertKey(rk, InputKeyKind.InputId, input.InputId, input);
            }

            if (input.OffCommonPath)
            {
                UpsertState(rk, input);
            }
        }
    }

    private void InsertKey(long rk, InputKeyKind kind, string key, InputRecord input)
    {
        try
        {
            _insertKey.Int(1, rk).Int(2, (int)kind).Text(3, key).Int(4, input.Position).Run();
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == Constraint)
        {
            throw Fail.AlreadyExists("INPUT_ALREADY_EXISTS",
                $"Input '{input.InputId}' already exists ({(kind == InputKeyKind.InputId ? "its id" : "its idempotency key")} is taken).",
                ("input_id", input.InputId));
        }
    }

    private void UpsertState(long rk, InputRecord input) =>
        _upsertState.Int(1, rk).Int(2, input.Position).Int(3, (int)input.Phase).Int(4, (int)input.AbandonReason)
            .Int(5, input.AttemptCount).Int(6, input.RecoveryCount).Text(7, input.LastRunId).Int(8, input.LastBoundarySequence)
            .Text(9, input.LastError).IntOrNull(10, input.NextAttemptAt?.UtcTicks).Text(11, input.History)
            .Int(12, input.UpdatedAt.UtcTicks).Run();

    private void UpsertRun(long rk, RunRecord run, IReadOnlyList<ReceiptRecord> receipts)
    {
        ReceiptRecord? receipt = null;
        foreach (var candidate in receipts)
        {
            if (candidate.RunId == run.RunId)
            {
                receipt = candidate;
            }
        }

        _upsertRun.Int(1, rk).Text(2, run.RunId).Int(3, (int)run.Status).Blob(4, JournalCodec.WritePositions(run.Positions))
            .Int(5, run.Positions.Count == 0 ? 0 : run.Positions.Min()).Int(6, run.Positions.Count == 0 ? 0 : run.Positions.Max())
            .Int(7, run.StartedAt.UtcTicks).IntOrNull(8, run.EndedAt?.UtcTicks).Text(9, run.Error)
            .IntOrNull(10, receipt?.Sequence);
        if (receipt is null)
        {
            _upsertRun.Null(11).Null(12);
        }
        else
        {
            _upsertRun.Text(11, receipt.Digest).Int(12, receipt.Time.UtcTicks);
        }

        _upsertRun.Run();
    }

    private void InsertRuntime(RuntimeRecord runtime, long sequence, long epoch)
    {
        try
        {
            runtime.Key = _insertRuntime.Text(1, runtime.RuntimeId).Int(2, (int)runtime.State).Text(3, runtime.Destination)
                .Text(4, RowCodec.PolicyJson(runtime.Policy)).Text(5, RowCodec.LabelsJson(runtime.Labels))
                .Int(6, runtime.Retiring ? 1 : 0).Text(7, RowCodec.Counts(runtime.PhaseCounts)).Int(8, sequence).Int(9, epoch)
                .Int(10, runtime.BoundarySequence).Int(11, runtime.NextPosition).Int(12, runtime.LiveFloor)
                .Int(13, runtime.CreatedAt.UtcTicks).Int(14, runtime.UpdatedAt.UtcTicks).RunScalar();
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == Constraint)
        {
            throw Fail.AlreadyExists("RUNTIME_ALREADY_EXISTS", $"Runtime '{runtime.RuntimeId}' already exists.",
                ("runtime_id", runtime.RuntimeId));
        }
    }

    private void UpdateRuntime(RuntimeRecord runtime, long expected, long sequence, long epoch)
    {
        var changed = _updateRuntime.Int(1, (int)runtime.State).Text(2, runtime.Destination).Int(3, runtime.Retiring ? 1 : 0)
            .Text(4, RowCodec.Counts(runtime.PhaseCounts)).Int(5, sequence).Int(6, epoch).Int(7, runtime.BoundarySequence)
            .Int(8, runtime.NextPosition).Int(9, runtime.LiveFloor).Int(10, runtime.UpdatedAt.UtcTicks).Int(11, runtime.Key)
            .Int(12, expected).Run();
        if (changed != 1)
        {
            throw Fenced(runtime.RuntimeId,
                $"expected ledger sequence {expected} and owner epoch {epoch} or older, but another owner wrote", append: null);
        }
    }

    private void Truncate(int length)
    {
        if (_journal.WrittenCount == length)
        {
            return;
        }

        var kept = _journal.WrittenSpan[..length].ToArray();
        _journal.ResetWrittenCount();
        kept.CopyTo(_journal.GetSpan(kept.Length));
        _journal.Advance(kept.Length);
    }

    private static RuntimeException Fenced(string runtimeId, string detail, LedgerAppend? append) =>
        new(ErrorKind.Aborted, "LEDGER_FENCED", $"Runtime '{runtimeId}' was fenced off: {detail}.",
            new Dictionary<string, string>
            {
                ["runtime_id"] = runtimeId,
                ["detail"] = detail,
                ["expected_sequence"] = append?.ExpectedSequence.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            });
}

/// <summary>What a row of <c>input_keys</c> maps to a position.</summary>
internal enum InputKeyKind
{
    /// <summary>An idempotency key.</summary>
    IdempotencyKey = 0,

    /// <summary>An input id the server did not derive from the position (chosen by the client, or from schema 1).</summary>
    InputId = 1,
}
