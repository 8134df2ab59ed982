using System.Buffers;
using Microsoft.Data.Sqlite;
using Runtime.Core.Delivery;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;
using Runtime.Core.Storage;

namespace Runtime.Storage.Sqlite;

/// <summary>
/// Turns a version 1 ledger (one mutable row per input) into the journal of version 2, in the caller's transaction:
/// every input into Accepted records, its whole state into <c>input_states</c> (a migrated input is never assumed to be
/// on the common path, so every answer stays exactly what it was), its keys and id into <c>input_keys</c>, runs with
/// their receipts, and the ledger rows into turns. The version 1 tables are dropped afterwards.
/// </summary>
internal static class LedgerV1Migration
{
    private const int InputsPerRecord = 4096;

    public static void Run(SqliteConnection connection, SqliteTransaction transaction)
    {
        Schema.Execute(connection, transaction,
            """
            DROP INDEX IF EXISTS inputs_by_id;
            DROP INDEX IF EXISTS inputs_by_idempotency_key;
            DROP INDEX IF EXISTS inputs_live;
            DROP INDEX IF EXISTS runs_open;
            ALTER TABLE runtimes RENAME TO v1_runtimes;
            ALTER TABLE runs RENAME TO v1_runs;
            """);
        Schema.Execute(connection, transaction, Schema.Tables);
        Schema.Execute(connection, transaction,
            """
            INSERT INTO runtimes (rk, id, state, destination, policy, labels, retiring, counts, ledger_seq, owner_epoch,
                                  boundary_seq, next_position, live_floor, created_at, updated_at)
            SELECT r.rk, r.id, r.state, r.destination, r.policy, r.labels, r.retiring, r.counts, r.ledger_seq, r.owner_epoch,
                   r.boundary_seq, r.next_position,
                   coalesce((SELECT min(i.key & 4294967295) FROM inputs i WHERE i.rk = r.rk AND i.phase < 5), r.next_position),
                   r.created_at, r.updated_at
            FROM v1_runtimes r;
            INSERT INTO turns (rk, seq, epoch, kind, at) SELECT rk, seq, epoch, kind, at FROM ledger;
            """);

        var journalKey = 1L;
        var journal = new ArrayBufferWriter<byte>();
        var chunk = new List<InputRecord>(InputsPerRecord);
        long chunkRuntime = -1;
        using (var read = Command(connection, transaction,
                   "SELECT key, rk, id, kind, payload, content_type, headers, idem_key, idem_hash, supersession_key, coalesce_key, " +
                   "priority, payload_type, consume_point, max_attempts, phase, abandon_reason, attempts, recoveries, last_run_id, " +
                   "last_boundary_seq, last_error, next_attempt_at, history, created_at, updated_at FROM inputs ORDER BY key"))
        using (var rows = read.ExecuteReader())
        {
            while (rows.Read())
            {
                var rk = rows.GetInt64(1);
                var input = ReadInput(rows);
                if (chunk.Count > 0 && (rk != chunkRuntime || chunk.Count == InputsPerRecord || input.Position != chunk[^1].Position + 1))
                {
                    Flush(connection, transaction, chunkRuntime, chunk, journal, journalKey++);
                }

                chunkRuntime = rk;
                chunk.Add(input);
            }
        }

        if (chunk.Count > 0)
        {
            Flush(connection, transaction, chunkRuntime, chunk, journal, journalKey);
        }

        MigrateRuns(connection, transaction);
        Schema.Execute(connection, transaction,
            "DROP TABLE v1_runs; DROP TABLE receipts; DROP TABLE inputs; DROP TABLE ledger; DROP TABLE v1_runtimes;");
    }

    private static void Flush(SqliteConnection connection, SqliteTransaction transaction, long rk, List<InputRecord> inputs,
        ArrayBufferWriter<byte> journal, long journalKey)
    {
        journal.ResetWrittenCount();
        JournalCodec.WriteAccepted(journal, inputs);
        using (var command = Command(connection, transaction, "INSERT INTO journal (jk, body) VALUES ($jk, $body)"))
        {
            command.Parameters.AddWithValue("$jk", journalKey);
            command.Parameters.AddWithValue("$body", journal.WrittenSpan.ToArray());
            command.ExecuteNonQuery();
        }

        using (var command = Command(connection, transaction,
                   "INSERT INTO accepted (rk, first_pos, count, jk, offset, length) VALUES ($rk, $first, $count, $jk, 0, $length)"))
        {
            command.Parameters.AddWithValue("$rk", rk);
            command.Parameters.AddWithValue("$first", inputs[0].Position);
            command.Parameters.AddWithValue("$count", inputs.Count);
            command.Parameters.AddWithValue("$jk", journalKey);
            command.Parameters.AddWithValue("$length", journal.WrittenCount);
            command.ExecuteNonQuery();
        }

        using var key = Command(connection, transaction, "INSERT INTO input_keys (rk, kind, key, position) VALUES ($rk, $kind, $key, $position)");
        using var state = Command(connection, transaction,
            "INSERT INTO input_states (rk, position, phase, abandon_reason, attempts, recoveries, last_run_id, last_boundary_seq, " +
            "last_error, next_attempt_at, history, updated_at) VALUES ($rk, $position, $phase, $abandon, $attempts, $recoveries, " +
            "$run, $boundary, $error, $next, $history, $updated)");
        foreach (var input in inputs)
        {
            if (input.IdempotencyKey.Length > 0)
            {
                AddKey(key, rk, InputKeyKind.IdempotencyKey, input.IdempotencyKey, input.Position);
            }

            AddKey(key, rk, InputKeyKind.InputId, input.InputId, input.Position);
            state.Parameters.Clear();
            state.Parameters.AddWithValue("$rk", rk);
            state.Parameters.AddWithValue("$position", input.Position);
            state.Parameters.AddWithValue("$phase", (int)input.Phase);
            state.Parameters.AddWithValue("$abandon", (int)input.AbandonReason);
            state.Parameters.AddWithValue("$attempts", input.AttemptCount);
            state.Parameters.AddWithValue("$recoveries", input.RecoveryCount);
            state.Parameters.AddWithValue("$run", input.LastRunId);
            state.Parameters.AddWithValue("$boundary", input.LastBoundarySequence);
            state.Parameters.AddWithValue("$error", input.LastError);
            state.Parameters.AddWithValue("$next", (object?)input.NextAttemptAt?.UtcTicks ?? DBNull.Value);
            state.Parameters.AddWithValue("$history", input.History);
            state.Parameters.AddWithValue("$updated", input.UpdatedAt.UtcTicks);
            state.ExecuteNonQuery();
        }

        inputs.Clear();
    }

    private static void AddKey(SqliteCommand command, long rk, InputKeyKind kind, string key, long position)
    {
        command.Parameters.Clear();
        command.Parameters.AddWithValue("$rk", rk);
        command.Parameters.AddWithValue("$kind", (int)kind);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$position", position);
        command.ExecuteNonQuery();
    }

    private static void MigrateRuns(SqliteConnection connection, SqliteTransaction transaction)
    {
        var runs = new List<(long Rk, string RunId, int Status, string InputIds, long StartedAt, object EndedAt, string Error)>();
        using (var read = Command(connection, transaction, "SELECT rk, run_id, status, input_ids, started_at, ended_at, error FROM v1_runs"))
        using (var rows = read.ExecuteReader())
        {
            while (rows.Read())
            {
                runs.Add((rows.GetInt64(0), rows.GetString(1), rows.GetInt32(2), rows.GetString(3), rows.GetInt64(4),
                    rows.IsDBNull(5) ? DBNull.Value : rows.GetInt64(5), rows.GetString(6)));
            }
        }

        using var position = Command(connection, transaction, "SELECT key & 4294967295 FROM inputs WHERE rk = $rk AND id = $id");
        using var receipt = Command(connection, transaction, "SELECT seq, digest, at FROM receipts WHERE rk = $rk AND run_id = $run");
        using var insert = Command(connection, transaction,
            "INSERT INTO runs (rk, run_id, status, positions, first_pos, last_pos, started_at, ended_at, error, receipt_seq, digest, receipt_at) " +
            "VALUES ($rk, $run, $status, $positions, $first, $last, $started, $ended, $error, $receipt, $digest, $at)");
        foreach (var run in runs)
        {
            var positions = new List<long>();
            foreach (var id in run.InputIds.Length == 0 ? [] : run.InputIds.Split('\n'))
            {
                position.Parameters.Clear();
                position.Parameters.AddWithValue("$rk", run.Rk);
                position.Parameters.AddWithValue("$id", id);
                if (position.ExecuteScalar() is long p)
                {
                    positions.Add(p);
                }
            }

            receipt.Parameters.Clear();
            receipt.Parameters.AddWithValue("$rk", run.Rk);
            receipt.Parameters.AddWithValue("$run", run.RunId);
            object sequence = DBNull.Value, digest = DBNull.Value, at = DBNull.Value;
            using (var rows = receipt.ExecuteReader())
            {
                if (rows.Read())
                {
                    (sequence, digest, at) = (rows.GetInt64(0), rows.GetString(1), rows.GetInt64(2));
                }
            }

            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$rk", run.Rk);
            insert.Parameters.AddWithValue("$run", run.RunId);
            insert.Parameters.AddWithValue("$status", run.Status);
            insert.Parameters.AddWithValue("$positions", JournalCodec.WritePositions(positions));
            insert.Parameters.AddWithValue("$first", positions.Count == 0 ? 0 : positions.Min());
            insert.Parameters.AddWithValue("$last", positions.Count == 0 ? 0 : positions.Max());
            insert.Parameters.AddWithValue("$started", run.StartedAt);
            insert.Parameters.AddWithValue("$ended", run.EndedAt);
            insert.Parameters.AddWithValue("$error", run.Error);
            insert.Parameters.AddWithValue("$receipt", sequence);
            insert.Parameters.AddWithValue("$digest", digest);
            insert.Parameters.AddWithValue("$at", at);
            insert.ExecuteNonQuery();
        }
    }

    private static InputRecord ReadInput(SqliteDataReader r) => new()
    {
        Position = r.GetInt64(0) & uint.MaxValue,
        InputId = r.GetString(2),
        Kind = r.GetString(3),
        Payload = r.IsDBNull(4) ? Array.Empty<byte>() : (byte[])r.GetValue(4),
        ContentType = r.GetString(5),
        Headers = r.IsDBNull(6) ? new Dictionary<string, string>() : RowCodec.ParseHeaders((byte[])r.GetValue(6)),
        IdempotencyKey = r.IsDBNull(7) ? "" : r.GetString(7),
        IdempotencyHash = r.IsDBNull(8) ? null : (byte[])r.GetValue(8),
        SupersessionKey = r.IsDBNull(9) ? "" : r.GetString(9),
        CoalesceKey = r.IsDBNull(10) ? "" : r.GetString(10),
        Priority = r.GetInt32(11),
        PayloadType = (PayloadType)r.GetInt32(12),
        ConsumePoint = r.IsDBNull(13) ? null : (ConsumePoint)r.GetInt32(13),
        MaxAttempts = r.IsDBNull(14) ? null : r.GetInt32(14),
        Phase = (InputPhase)r.GetInt32(15),
        AbandonReason = (AbandonReason)r.GetInt32(16),
        AttemptCount = r.GetInt32(17),
        RecoveryCount = r.GetInt32(18),
        LastRunId = r.GetString(19),
        LastBoundarySequence = r.GetInt64(20),
        LastError = r.GetString(21),
        NextAttemptAt = r.IsDBNull(22) ? null : RowCodec.Time(r.GetInt64(22)),
        History = r.GetString(23),
        CreatedAt = RowCodec.Time(r.GetInt64(24)),
        UpdatedAt = RowCodec.Time(r.GetInt64(25)),
        OffCommonPath = true,
    };

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
