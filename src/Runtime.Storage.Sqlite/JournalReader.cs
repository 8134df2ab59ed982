using Runtime.Core.Inputs;
using Runtime.Core.Policies;
using Runtime.Core.Storage;

namespace Runtime.Storage.Sqlite;

/// <summary>
/// Reads one runtime's inputs back from the journal, inside one read transaction: each input from its Accepted record,
/// then either its stored state (off the common path) or its state derived from the run that carried it.
/// </summary>
internal sealed class JournalReader(ReaderPool.Reader reader, RuntimeRecord runtime)
{
    // How many positions one window of a scan covers: bounds what one query loads.
    private const long Window = 4096;

    private readonly long _rk = runtime.Key;

    /// <summary>Records that could not be decoded (reported as ledger problems by <see cref="SqliteRuntimeStore.LoadAsync"/>).</summary>
    public List<string> Problems { get; } = [];

    /// <summary>The inputs at positions in [<paramref name="from"/>, <paramref name="to"/>], in position order, resolved.</summary>
    public List<InputRecord> Range(long from, long to)
    {
        var result = new List<InputRecord>();
        for (var start = from; start <= to; start += Window)
        {
            var end = Math.Min(to, start + Window - 1);
            result.AddRange(Resolve(Accepted(start, end, null), start, end));
        }

        return result;
    }

    /// <summary>Inputs after <paramref name="after"/> in accept order, in any of <paramref name="phases"/>, at most <paramref name="limit"/>.</summary>
    public List<InputRecord> Scan(IReadOnlyCollection<InputPhase> phases, long after, int limit)
    {
        var result = new List<InputRecord>();
        for (var start = after + 1; start < runtime.NextPosition && result.Count < limit; start += Window)
        {
            var end = Math.Min(runtime.NextPosition - 1, start + Window - 1);
            foreach (var input in Resolve(Accepted(start, end, null), start, end))
            {
                if (phases.Count == 0 || phases.Contains(input.Phase))
                {
                    result.Add(input);
                    if (result.Count == limit)
                    {
                        break;
                    }
                }
            }
        }

        return result;
    }

    /// <summary>The input at <paramref name="position"/>, resolved, or null.</summary>
    public InputRecord? At(long position)
    {
        var accepted = Accepted(position, position, null);
        return accepted.Count == 0 ? null : Resolve(accepted, position, position)[0];
    }

    /// <summary>The position an input id names: a client-chosen (or migrated) id's key row, else the server id's own.</summary>
    public long? PositionOfId(string inputId)
    {
        if (KeyPosition(InputKeyKind.InputId, inputId) is { } keyed)
        {
            return keyed;
        }

        return TimeOrderedId.TryReadPosition(inputId, out var position) && position >= 1 ? position : null;
    }

    /// <summary>The input with this id, resolved, or null.</summary>
    public InputRecord? FindById(string inputId) =>
        PositionOfId(inputId) is { } position && At(position) is { } input && input.InputId == inputId ? input : null;

    /// <summary>The input holding this idempotency key, resolved, or null.</summary>
    public InputRecord? FindByIdempotencyKey(string key) =>
        KeyPosition(InputKeyKind.IdempotencyKey, key) is { } position ? At(position) : null;

    /// <summary>The ids of the inputs at <paramref name="positions"/>, in the same order.</summary>
    public List<string> IdsAt(IReadOnlyList<long> positions)
    {
        if (positions.Count == 0)
        {
            return [];
        }

        var wanted = positions.ToHashSet();
        var ids = new Dictionary<long, string>();
        foreach (var input in Accepted(positions.Min(), positions.Max(), wanted.Contains))
        {
            ids[input.Position] = input.InputId;
        }

        return positions.Select(p => ids.GetValueOrDefault(p, "")).ToList();
    }

    /// <summary>One run, with its receipt, or null.</summary>
    public (RunRecord Run, ReceiptRecord? Receipt)? Run(string runId)
    {
        var command = reader.Command($"SELECT {RunColumns} FROM runs WHERE rk = $rk AND run_id = $run");
        command.Parameters.AddWithValue("$rk", _rk);
        command.Parameters.AddWithValue("$run", runId);
        using var rows = command.ExecuteReader();
        if (!rows.Read())
        {
            return null;
        }

        var (run, receipt) = ReadRun(rows);
        rows.Close();
        return WithIds(run, receipt);
    }

    /// <summary>The runs still open (in flight or awaiting completion).</summary>
    public List<RunRecord> OpenRuns()
    {
        var command = reader.Command($"SELECT {RunColumns} FROM runs INDEXED BY runs_open WHERE rk = $rk AND status < 2");
        command.Parameters.AddWithValue("$rk", _rk);
        var runs = new List<(RunRecord, ReceiptRecord?)>();
        using (var rows = command.ExecuteReader())
        {
            while (rows.Read())
            {
                runs.Add(ReadRun(rows));
            }
        }

        return runs.ConvertAll(r => WithIds(r.Item1, r.Item2).Run);
    }

    private const string RunColumns = "run_id, status, positions, started_at, ended_at, error, receipt_seq, digest, receipt_at";

    private (RunRecord Run, ReceiptRecord? Receipt) WithIds(RunRecord run, ReceiptRecord? receipt)
    {
        var ids = IdsAt(run.Positions);
        var withIds = new RunRecord
        {
            RunId = run.RunId,
            Status = run.Status,
            InputIds = ids,
            Positions = run.Positions,
            StartedAt = run.StartedAt,
            EndedAt = run.EndedAt,
            Error = run.Error,
        };
        return (withIds, receipt is null ? null : receipt with { InputIds = ids });
    }

    private static (RunRecord Run, ReceiptRecord? Receipt) ReadRun(Microsoft.Data.Sqlite.SqliteDataReader rows)
    {
        var run = new RunRecord
        {
            RunId = rows.GetString(0),
            Status = (RunStatus)rows.GetInt32(1),
            InputIds = [],
            Positions = JournalCodec.ReadPositions((byte[])rows.GetValue(2)),
            StartedAt = RowCodec.Time(rows.GetInt64(3)),
            EndedAt = rows.IsDBNull(4) ? null : RowCodec.Time(rows.GetInt64(4)),
            Error = rows.GetString(5),
        };
        var receipt = rows.IsDBNull(6)
            ? null
            : new ReceiptRecord(rows.GetInt64(6), run.RunId, [], rows.GetString(7), RowCodec.Time(rows.GetInt64(8)));
        return (run, receipt);
    }

    private long? KeyPosition(InputKeyKind kind, string key)
    {
        var command = reader.Command("SELECT position FROM input_keys WHERE rk = $rk AND kind = $kind AND key = $key");
        command.Parameters.AddWithValue("$rk", _rk);
        command.Parameters.AddWithValue("$kind", (int)kind);
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() is long position ? position : null;
    }

    /// <summary>Decodes the Accepted records covering [from, to] (positions outside it are skipped).</summary>
    private List<InputRecord> Accepted(long from, long to, Func<long, bool>? wanted)
    {
        var command = reader.Command(
            "SELECT a.first_pos, a.count, substr(j.body, a.offset + 1, a.length) FROM accepted a JOIN journal j ON j.jk = a.jk " +
            "WHERE a.rk = $rk AND a.first_pos <= $to AND a.first_pos >= " +
            "(SELECT coalesce(max(first_pos), 0) FROM accepted WHERE rk = $rk AND first_pos <= $from) ORDER BY a.first_pos");
        command.Parameters.AddWithValue("$rk", _rk);
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$to", to);
        var inputs = new List<InputRecord>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            var first = rows.GetInt64(0);
            try
            {
                inputs.AddRange(JournalCodec.ReadAccepted((byte[])rows.GetValue(2),
                    p => p >= from && p <= to && (wanted is null || wanted(p))));
            }
            catch (InvalidDataException e)
            {
                Problems.Add($"the Accepted record at position {first} cannot be read: {e.Message}");
            }
        }

        return inputs;
    }

    /// <summary>Fills in each input's state: the stored one when it is off the common path, else the derived one.</summary>
    private List<InputRecord> Resolve(List<InputRecord> inputs, long from, long to)
    {
        if (inputs.Count == 0)
        {
            return inputs;
        }

        var states = States(from, to);
        Dictionary<long, (RunRecord Run, ReceiptRecord? Receipt)>? runs = null;
        foreach (var input in inputs)
        {
            if (states.TryGetValue(input.Position, out var state))
            {
                state(input);
                continue;
            }

            runs ??= RunsCovering(from, to);
            var (run, receipt) = runs.TryGetValue(input.Position, out var carried) ? carried : default;
            CommonPath.Derive(input, run, receipt, input.ConsumePoint ?? runtime.Policy.ConsumePoint);
        }

        return inputs;
    }

    private Dictionary<long, Action<InputRecord>> States(long from, long to)
    {
        var command = reader.Command(
            "SELECT position, phase, abandon_reason, attempts, recoveries, last_run_id, last_boundary_seq, last_error, " +
            "next_attempt_at, history, updated_at FROM input_states WHERE rk = $rk AND position BETWEEN $from AND $to");
        command.Parameters.AddWithValue("$rk", _rk);
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$to", to);
        var states = new Dictionary<long, Action<InputRecord>>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            var phase = (InputPhase)rows.GetInt32(1);
            var abandon = (AbandonReason)rows.GetInt32(2);
            var attempts = rows.GetInt32(3);
            var recoveries = rows.GetInt32(4);
            var lastRun = rows.GetString(5);
            var boundary = rows.GetInt64(6);
            var error = rows.GetString(7);
            DateTimeOffset? next = rows.IsDBNull(8) ? null : RowCodec.Time(rows.GetInt64(8));
            var history = rows.GetString(9);
            var updated = RowCodec.Time(rows.GetInt64(10));
            states[rows.GetInt64(0)] = input =>
            {
                input.Phase = phase;
                input.AbandonReason = abandon;
                input.AttemptCount = attempts;
                input.RecoveryCount = recoveries;
                input.LastRunId = lastRun;
                input.LastBoundarySequence = boundary;
                input.LastError = error;
                input.NextAttemptAt = next;
                input.History = history;
                input.UpdatedAt = updated;
                input.OffCommonPath = true;
            };
        }

        return states;
    }

    /// <summary>Position → the run carrying it, for runs with an input in [from, to].</summary>
    private Dictionary<long, (RunRecord Run, ReceiptRecord? Receipt)> RunsCovering(long from, long to)
    {
        var command = reader.Command(
            $"SELECT {RunColumns} FROM runs INDEXED BY runs_by_last_position WHERE rk = $rk AND last_pos >= $from AND first_pos <= $to");
        command.Parameters.AddWithValue("$rk", _rk);
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$to", to);
        var byPosition = new Dictionary<long, (RunRecord, ReceiptRecord?)>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            var run = ReadRun(rows);
            foreach (var position in run.Run.Positions)
            {
                if (position >= from && position <= to)
                {
                    byPosition[position] = run;
                }
            }
        }

        return byPosition;
    }
}
