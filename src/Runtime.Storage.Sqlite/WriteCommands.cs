using System.Text;
using Runtime.Core.Errors;
using Runtime.Core.Storage;
using SQLitePCL;

namespace Runtime.Storage.Sqlite;

/// <summary>
/// The writer's prepared statements; only the writer thread uses them. Row writes say <c>OR FAIL</c>: each writes one
/// row whose constraints are checked before anything is written, so there is nothing for a statement journal to undo,
/// and without it SQLite copies no pages aside per statement (the append's transaction or savepoint still undoes it).
/// </summary>
internal sealed class WriteCommands : IDisposable
{
    private const int Constraint = 19;

    private readonly sqlite3 _db;
    private readonly Dictionary<string, RawStatement> _plain = new(StringComparer.Ordinal);
    private readonly RawStatement _insertRuntime;
    private readonly RawStatement _updateRuntime;
    private readonly RawStatement _insertLedger;
    private readonly RawStatement _insertInput;
    private readonly RawStatement _updateInput;
    private readonly RawStatement _updateInputs;
    private readonly StringBuilder _keys = new();
    private readonly RawStatement _insertReceipt;
    private readonly RawStatement _upsertRun;

    public WriteCommands(sqlite3 db)
    {
        _db = db;
        _insertRuntime = new RawStatement(db,
            "INSERT INTO runtimes (id, state, destination, policy, labels, retiring, counts, ledger_seq, owner_epoch, " +
            "boundary_seq, next_position, created_at, updated_at) VALUES (?1, ?2, coalesce(?3, ''), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) " +
            "RETURNING rk");
        // Policy and labels are fixed at creation, so appends do not rewrite them.
        _updateRuntime = new RawStatement(db,
            "UPDATE OR FAIL runtimes SET state = ?1, destination = coalesce(?2, ''), retiring = ?3, counts = ?4, ledger_seq = ?5, owner_epoch = ?6, " +
            "boundary_seq = ?7, next_position = ?8, updated_at = ?9 WHERE rk = ?10 AND ledger_seq = ?11 AND owner_epoch <= ?6");
        _insertLedger = new RawStatement(db, "INSERT OR FAIL INTO ledger (rk, seq, epoch, kind, inputs, at) VALUES (?1, ?2, ?3, coalesce(?4, ''), ?5, ?6)");
        _insertInput = new RawStatement(db,
            "INSERT OR FAIL INTO inputs (key, rk, id, kind, payload, content_type, headers, idem_key, idem_hash, supersession_key, " +
            "coalesce_key, priority, payload_type, consume_point, max_attempts, phase, abandon_reason, attempts, recoveries, " +
            "last_run_id, last_boundary_seq, last_error, next_attempt_at, history, created_at, updated_at) VALUES (?1, ?2, ?3, " +
            "coalesce(?4, ''), ?5, coalesce(?6, ''), ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, " +
            "coalesce(?20, ''), ?21, coalesce(?22, ''), ?23, coalesce(?24, ''), ?25, ?26)");
        const string setInput =
            "UPDATE OR FAIL inputs SET phase = ?1, abandon_reason = ?2, attempts = ?3, recoveries = ?4, last_run_id = coalesce(?5, ''), " +
            "last_boundary_seq = ?6, last_error = coalesce(?7, ''), next_attempt_at = ?8, history = history || coalesce(?9, ''), " +
            "updated_at = ?10 ";
        _updateInput = new RawStatement(db, setInput + "WHERE key = ?11");
        // The inputs of one run change alike (same phase, run, boundary and history lines): one statement for them all.
        _updateInputs = new RawStatement(db, setInput + "WHERE key IN (SELECT value FROM json_each(?11))");
        _insertReceipt = new RawStatement(db,
            "INSERT OR FAIL INTO receipts (rk, seq, run_id, input_ids, digest, at) VALUES (?1, ?2, ?3, coalesce(?4, ''), ?5, ?6)");
        _upsertRun = new RawStatement(db,
            "INSERT INTO runs (rk, run_id, status, input_ids, started_at, ended_at, error) VALUES (?1, ?2, ?3, coalesce(?4, ''), ?5, ?6, coalesce(?7, '')) " +
            "ON CONFLICT (rk, run_id) DO UPDATE SET status = excluded.status, ended_at = excluded.ended_at, error = excluded.error");
    }

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

    /// <summary>Writes one append (inside the caller's savepoint); throws ABORTED when fenced off.</summary>
    public void Apply(LedgerAppend append)
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
            _insertLedger.Int(1, rk).Int(2, sequence).Int(3, append.OwnerEpoch).Text(4, append.Kind)
                .Int(5, append.Inserted.Count + append.Updated.Count).Int(6, runtime.UpdatedAt.UtcTicks).Run();
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == Constraint)
        {
            throw Fenced(runtime.RuntimeId, $"ledger sequence {sequence} was already written", append);
        }

        foreach (var input in append.Inserted)
        {
            InsertInput(rk, input);
        }

        UpdateInputs(rk, append.Updated);

        foreach (var receipt in append.Receipts)
        {
            _insertReceipt.Int(1, rk).Int(2, receipt.Sequence).Text(3, receipt.RunId).Text(4, RowCodec.Ids(receipt.InputIds))
                .Text(5, receipt.Digest).Int(6, receipt.Time.UtcTicks).Run();
        }

        foreach (var run in append.Runs)
        {
            _upsertRun.Int(1, rk).Text(2, run.RunId).Int(3, (int)run.Status).Text(4, RowCodec.Ids(run.InputIds))
                .Int(5, run.StartedAt.UtcTicks).IntOrNull(6, run.EndedAt?.UtcTicks).Text(7, run.Error).Run();
        }
    }

    public void Dispose()
    {
        foreach (var statement in _plain.Values)
        {
            statement.Dispose();
        }

        foreach (var statement in new[] { _insertRuntime, _updateRuntime, _insertLedger, _insertInput, _updateInput, _updateInputs, _insertReceipt, _upsertRun })
        {
            statement.Dispose();
        }
    }

    private void InsertRuntime(RuntimeRecord runtime, long sequence, long epoch)
    {
        try
        {
            runtime.Key = _insertRuntime.Text(1, runtime.RuntimeId).Int(2, (int)runtime.State).Text(3, runtime.Destination)
                .Text(4, RowCodec.PolicyJson(runtime.Policy)).Text(5, RowCodec.LabelsJson(runtime.Labels))
                .Int(6, runtime.Retiring ? 1 : 0).Text(7, RowCodec.Counts(runtime.PhaseCounts)).Int(8, sequence).Int(9, epoch)
                .Int(10, runtime.BoundarySequence).Int(11, runtime.NextPosition).Int(12, runtime.CreatedAt.UtcTicks)
                .Int(13, runtime.UpdatedAt.UtcTicks).RunScalar();
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
            .Int(8, runtime.NextPosition).Int(9, runtime.UpdatedAt.UtcTicks).Int(10, runtime.Key).Int(11, expected).Run();
        if (changed != 1)
        {
            throw Fenced(runtime.RuntimeId,
                $"expected ledger sequence {expected} and owner epoch {epoch} or older, but another owner wrote", append: null);
        }
    }

    private void InsertInput(long rk, InputRecord input)
    {
        input.StorageKey = RowCodec.InputKey(rk, input.Position);
        var headers = RowCodec.HeadersBlob(input.Headers);
        _insertInput.Int(1, input.StorageKey).Int(2, rk).Text(3, input.InputId).Text(4, input.Kind).Blob(5, input.Payload.Span)
            .Text(6, input.ContentType);
        if (headers is null)
        {
            _insertInput.Null(7);
        }
        else
        {
            _insertInput.Blob(7, headers);
        }

        _insertInput.TextOrNull(8, input.IdempotencyKey);
        if (input.IdempotencyHash is { } hash)
        {
            _insertInput.Blob(9, hash);
        }
        else
        {
            _insertInput.Null(9);
        }

        _insertInput.TextOrNull(10, input.SupersessionKey).TextOrNull(11, input.CoalesceKey).Int(12, input.Priority)
            .Int(13, (int)input.PayloadType).IntOrNull(14, (int?)input.ConsumePoint).IntOrNull(15, input.MaxAttempts)
            .Int(16, (int)input.Phase).Int(17, (int)input.AbandonReason).Int(18, input.AttemptCount).Int(19, input.RecoveryCount)
            .Text(20, input.LastRunId).Int(21, input.LastBoundarySequence).Text(22, input.LastError)
            .IntOrNull(23, input.NextAttemptAt?.UtcTicks).Text(24, input.History).Int(25, input.CreatedAt.UtcTicks)
            .Int(26, input.UpdatedAt.UtcTicks);
        try
        {
            _insertInput.Run();
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == Constraint)
        {
            throw Fail.AlreadyExists("INPUT_ALREADY_EXISTS", $"Input '{input.InputId}' already exists.", ("input_id", input.InputId));
        }
    }

    /// <summary>Writes changed inputs, one statement per stretch of consecutive inputs whose new values are the same.</summary>
    private void UpdateInputs(long rk, IReadOnlyList<InputRecord> inputs)
    {
        var start = 0;
        while (start < inputs.Count)
        {
            var end = start + 1;
            while (end < inputs.Count && SameChange(inputs[start], inputs[end]))
            {
                end++;
            }

            if (end - start == 1)
            {
                Bind(_updateInput, inputs[start]).Int(11, RowCodec.InputKey(rk, inputs[start].Position)).Run();
            }
            else
            {
                _keys.Clear().Append('[');
                for (var i = start; i < end; i++)
                {
                    _keys.Append(i == start ? "" : ",").Append(RowCodec.InputKey(rk, inputs[i].Position));
                }

                var keys = _keys.Append(']').ToString();
                var changed = Bind(_updateInputs, inputs[start]).Text(11, keys).Run();
                if (changed != end - start)
                {
                    throw new InvalidOperationException($"Updated {changed} input rows, expected {end - start}.");
                }
            }

            start = end;
        }
    }

    private static RawStatement Bind(RawStatement statement, InputRecord input) =>
        statement.Int(1, (int)input.Phase).Int(2, (int)input.AbandonReason).Int(3, input.AttemptCount).Int(4, input.RecoveryCount)
            .Text(5, input.LastRunId).Int(6, input.LastBoundarySequence).Text(7, input.LastError)
            .IntOrNull(8, input.NextAttemptAt?.UtcTicks).TextSpan(9, Delta(input)).Int(10, input.UpdatedAt.UtcTicks);

    private static ReadOnlySpan<char> Delta(InputRecord input) => input.History.AsSpan(input.StoredHistoryLength);

    /// <summary>Whether both inputs' rows change to the same values (every column the update sets).</summary>
    private static bool SameChange(InputRecord a, InputRecord b) =>
        a.Phase == b.Phase && a.AbandonReason == b.AbandonReason && a.AttemptCount == b.AttemptCount &&
        a.RecoveryCount == b.RecoveryCount && a.LastBoundarySequence == b.LastBoundarySequence &&
        a.NextAttemptAt == b.NextAttemptAt && a.UpdatedAt == b.UpdatedAt &&
        string.Equals(a.LastRunId, b.LastRunId, StringComparison.Ordinal) &&
        string.Equals(a.LastError, b.LastError, StringComparison.Ordinal) &&
        Delta(a).SequenceEqual(Delta(b));

    private static RuntimeException Fenced(string runtimeId, string detail, LedgerAppend? append) =>
        new(ErrorKind.Aborted, "LEDGER_FENCED", $"Runtime '{runtimeId}' was fenced off: {detail}.",
            new Dictionary<string, string>
            {
                ["runtime_id"] = runtimeId,
                ["detail"] = detail,
                ["expected_sequence"] = append?.ExpectedSequence.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            });
}
