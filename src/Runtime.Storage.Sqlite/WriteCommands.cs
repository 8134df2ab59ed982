using Microsoft.Data.Sqlite;
using Runtime.Core.Errors;
using Runtime.Core.Storage;

namespace Runtime.Storage.Sqlite;

/// <summary>The writer's prepared statements, bound and executed once per row; only the writer thread uses them.</summary>
internal sealed class WriteCommands(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _raw = new(StringComparer.Ordinal);

    private readonly SqliteCommand _insertRuntime = Prepare(connection,
        "INSERT INTO runtimes (id, state, destination, policy, labels, retiring, counts, ledger_seq, owner_epoch, " +
        "boundary_seq, next_position, created_at, updated_at) VALUES ($id, $state, $destination, $policy, $labels, " +
        "$retiring, $counts, $seq, $epoch, $bseq, $npos, $created, $updated) RETURNING rk",
        "$id", "$state", "$destination", "$policy", "$labels", "$retiring", "$counts", "$seq", "$epoch", "$bseq", "$npos", "$created", "$updated");

    private readonly SqliteCommand _updateRuntime = Prepare(connection,
        "UPDATE runtimes SET state = $state, destination = $destination, policy = $policy, labels = $labels, " +
        "retiring = $retiring, counts = $counts, ledger_seq = $seq, owner_epoch = $epoch, boundary_seq = $bseq, " +
        "next_position = $npos, updated_at = $updated WHERE rk = $rk AND ledger_seq = $expected AND owner_epoch <= $epoch",
        "$state", "$destination", "$policy", "$labels", "$retiring", "$counts", "$seq", "$epoch", "$bseq", "$npos", "$updated", "$rk", "$expected");

    private readonly SqliteCommand _insertLedger = Prepare(connection,
        "INSERT INTO ledger (rk, seq, epoch, kind, inputs, at) VALUES ($rk, $seq, $epoch, $kind, $inputs, $at)",
        "$rk", "$seq", "$epoch", "$kind", "$inputs", "$at");

    private readonly SqliteCommand _insertInput = Prepare(connection,
        "INSERT INTO inputs (key, rk, id, kind, payload, content_type, headers, idem_key, idem_hash, supersession_key, " +
        "coalesce_key, priority, payload_type, consume_point, max_attempts, phase, abandon_reason, attempts, recoveries, " +
        "last_run_id, last_boundary_seq, last_error, next_attempt_at, history, created_at, updated_at) VALUES ($key, $rk, " +
        "$id, $kind, $payload, $content_type, $headers, $idem_key, $idem_hash, $supersession_key, $coalesce_key, $priority, " +
        "$payload_type, $consume_point, $max_attempts, $phase, $abandon_reason, $attempts, $recoveries, $last_run_id, " +
        "$last_boundary_seq, $last_error, $next_attempt_at, $history, $created, $updated)",
        "$key", "$rk", "$id", "$kind", "$payload", "$content_type", "$headers", "$idem_key", "$idem_hash", "$supersession_key",
        "$coalesce_key", "$priority", "$payload_type", "$consume_point", "$max_attempts", "$phase", "$abandon_reason", "$attempts",
        "$recoveries", "$last_run_id", "$last_boundary_seq", "$last_error", "$next_attempt_at", "$history", "$created", "$updated");

    private readonly SqliteCommand _updateInput = Prepare(connection,
        "UPDATE inputs SET phase = $phase, abandon_reason = $abandon_reason, attempts = $attempts, recoveries = $recoveries, " +
        "last_run_id = $last_run_id, last_boundary_seq = $last_boundary_seq, last_error = $last_error, " +
        "next_attempt_at = $next_attempt_at, history = history || $history, updated_at = $updated WHERE key = $key",
        "$phase", "$abandon_reason", "$attempts", "$recoveries", "$last_run_id", "$last_boundary_seq", "$last_error",
        "$next_attempt_at", "$history", "$updated", "$key");

    private readonly SqliteCommand _insertReceipt = Prepare(connection,
        "INSERT INTO receipts (rk, seq, run_id, input_ids, digest, at) VALUES ($rk, $seq, $run_id, $input_ids, $digest, $at)",
        "$rk", "$seq", "$run_id", "$input_ids", "$digest", "$at");

    private readonly SqliteCommand _upsertRun = Prepare(connection,
        "INSERT INTO runs (rk, run_id, status, input_ids, started_at, ended_at, error) VALUES ($rk, $run_id, $status, " +
        "$input_ids, $started, $ended, $error) ON CONFLICT (rk, run_id) DO UPDATE SET status = excluded.status, " +
        "ended_at = excluded.ended_at, error = excluded.error",
        "$rk", "$run_id", "$status", "$input_ids", "$started", "$ended", "$error");

    /// <summary>Runs a statement without parameters (BEGIN, SAVEPOINT, COMMIT...).</summary>
    public void Exec(string sql)
    {
        if (!_raw.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _raw[sql] = command;
        }

        command.ExecuteNonQuery();
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
        Bind(_insertLedger, rk, sequence, append.OwnerEpoch, append.Kind, append.Inserted.Count + append.Updated.Count,
            runtime.UpdatedAt.UtcTicks);
        try
        {
            _insertLedger.ExecuteNonQuery();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw Fenced(runtime.RuntimeId, append);
        }

        foreach (var input in append.Inserted)
        {
            InsertInput(rk, input);
        }

        foreach (var input in append.Updated)
        {
            UpdateInput(input);
        }

        foreach (var receipt in append.Receipts)
        {
            Bind(_insertReceipt, rk, receipt.Sequence, receipt.RunId, RowCodec.Ids(receipt.InputIds), receipt.Digest,
                receipt.Time.UtcTicks);
            _insertReceipt.ExecuteNonQuery();
        }

        foreach (var run in append.Runs)
        {
            Bind(_upsertRun, rk, run.RunId, (int)run.Status, RowCodec.Ids(run.InputIds), run.StartedAt.UtcTicks,
                run.EndedAt is { } ended ? ended.UtcTicks : DBNull.Value, run.Error);
            _upsertRun.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        foreach (var command in _raw.Values)
        {
            command.Dispose();
        }

        foreach (var command in new[] { _insertRuntime, _updateRuntime, _insertLedger, _insertInput, _updateInput, _insertReceipt, _upsertRun })
        {
            command.Dispose();
        }
    }

    private void InsertRuntime(RuntimeRecord runtime, long sequence, long epoch)
    {
        Bind(_insertRuntime, runtime.RuntimeId, (int)runtime.State, runtime.Destination, RowCodec.PolicyJson(runtime.Policy),
            RowCodec.LabelsJson(runtime.Labels), runtime.Retiring ? 1 : 0, RowCodec.Counts(runtime.PhaseCounts), sequence,
            epoch, runtime.BoundarySequence, runtime.NextPosition, runtime.CreatedAt.UtcTicks, runtime.UpdatedAt.UtcTicks);
        try
        {
            runtime.Key = (long)_insertRuntime.ExecuteScalar()!;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw Fail.AlreadyExists("RUNTIME_ALREADY_EXISTS", $"Runtime '{runtime.RuntimeId}' already exists.",
                ("runtime_id", runtime.RuntimeId));
        }
    }

    private void UpdateRuntime(RuntimeRecord runtime, long expected, long sequence, long epoch)
    {
        Bind(_updateRuntime, (int)runtime.State, runtime.Destination, RowCodec.PolicyJson(runtime.Policy),
            RowCodec.LabelsJson(runtime.Labels), runtime.Retiring ? 1 : 0, RowCodec.Counts(runtime.PhaseCounts), sequence,
            epoch, runtime.BoundarySequence, runtime.NextPosition, runtime.UpdatedAt.UtcTicks, runtime.Key, expected);
        if (_updateRuntime.ExecuteNonQuery() != 1)
        {
            throw new RuntimeException(ErrorKind.Aborted, "LEDGER_FENCED",
                $"Runtime '{runtime.RuntimeId}' was written by another owner (expected ledger sequence {expected}, epoch {epoch}).",
                new Dictionary<string, string>
                {
                    ["runtime_id"] = runtime.RuntimeId,
                    ["expected_sequence"] = expected.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["owner_epoch"] = epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
        }
    }

    private void InsertInput(long rk, InputRecord input)
    {
        input.StorageKey = RowCodec.InputKey(rk, input.Position);
        Bind(_insertInput, input.StorageKey, rk, input.InputId, input.Kind, input.Payload.ToArray(), input.ContentType,
            (object?)RowCodec.HeadersBlob(input.Headers) ?? DBNull.Value, RowCodec.Db(input.IdempotencyKey),
            (object?)input.IdempotencyHash ?? DBNull.Value, RowCodec.Db(input.SupersessionKey), RowCodec.Db(input.CoalesceKey),
            input.Priority, (int)input.PayloadType, input.ConsumePoint is { } point ? (int)point : DBNull.Value,
            input.MaxAttempts is { } attempts ? attempts : DBNull.Value, (int)input.Phase, (int)input.AbandonReason,
            input.AttemptCount, input.RecoveryCount, input.LastRunId, input.LastBoundarySequence, input.LastError,
            input.NextAttemptAt is { } next ? next.UtcTicks : DBNull.Value, input.History, input.CreatedAt.UtcTicks,
            input.UpdatedAt.UtcTicks);
        try
        {
            _insertInput.ExecuteNonQuery();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw Fail.AlreadyExists("INPUT_ALREADY_EXISTS", $"Input '{input.InputId}' already exists.", ("input_id", input.InputId));
        }
    }

    private void UpdateInput(InputRecord input)
    {
        var delta = input.StoredHistoryLength == 0 ? input.History : input.History[input.StoredHistoryLength..];
        Bind(_updateInput, (int)input.Phase, (int)input.AbandonReason, input.AttemptCount, input.RecoveryCount,
            input.LastRunId, input.LastBoundarySequence, input.LastError,
            input.NextAttemptAt is { } next ? next.UtcTicks : DBNull.Value, delta, input.UpdatedAt.UtcTicks,
            input.StorageKey);
        _updateInput.ExecuteNonQuery();
    }

    private static RuntimeException Fenced(string runtimeId, LedgerAppend append) =>
        new(ErrorKind.Aborted, "LEDGER_FENCED",
            $"Ledger sequence {append.ExpectedSequence + 1} of runtime '{runtimeId}' was already written.",
            new Dictionary<string, string>
            {
                ["runtime_id"] = runtimeId,
                ["sequence"] = (append.ExpectedSequence + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            });

    private static void Bind(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }
}
