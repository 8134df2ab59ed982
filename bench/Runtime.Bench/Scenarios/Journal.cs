using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Runtime.Bench.Harness;
using Runtime.Core.Events;
using Runtime.Core.Inputs;
using Runtime.Core.Runtimes;
using Runtime.Core.Storage;
using Runtime.Storage.Sqlite;
using SQLitePCL;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// The ledger alone, by stage: the real turn records of the end-to-end path (accept, run staged, run applied with its
/// receipt and the inputs consumed), written through <see cref="SqliteRuntimeStore"/> by 16 runtimes at once, so
/// its writer groups them as it does under load; once without events and once with the four input transitions per
/// input that the journal now carries. Next to it, in the same run, the floor of a design with a row per input: a bare
/// four-column table, a row inserted at accept and updated at consume. No actor, no gRPC, synchronous=FULL.
/// Writes <c>bench/results/journal.md</c>.
/// </summary>
public static class Journal
{
    private const int Runtimes = 16;
    private const int InputsPerTurn = 16;
    private const int TurnsInFlightPerRuntime = 8;
    private const int PayloadBytes = 256;
    private const int RowsPerCommit = 256;

    /// <summary>Runs the scenario with <paramref name="inputs"/> inputs per measurement.</summary>
    public static async Task<int> RunAsync(string resultsDirectory, int inputs)
    {
        var report = new Report("journal");
        report.Line($"Load average at start (other work shares these cores): {Machine.LoadAverage()}.");
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"{inputs:N0} inputs of {PayloadBytes} B over {Runtimes} runtimes, {InputsPerTurn} inputs per accept turn and per run, up to {TurnsInFlightPerRuntime} turns in flight per runtime, WAL, synchronous=FULL."));
        report.Line("");
        report.Line("| what is written | stage | CPU µs per input | wall µs per input | inputs/s | bytes on disk per input |");
        report.Line("| --- | --- | ---: | ---: | ---: | ---: |");

        var directory = Path.Combine(Path.GetTempPath(), "runtime-bench", Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var withEvents in new[] { false, true })
            {
                var name = withEvents ? "journal, with input events" : "journal, no events";
                var (stages, bytes) = await MeasureJournalAsync(Path.Combine(directory, withEvents ? "events" : "plain"), inputs, withEvents);
                foreach (var (stage, cost) in stages)
                {
                    report.Line(Row(name, stage, cost, stage == "all three" ? bytes : null));
                }
            }

            var (insert, consume, bareBytes) = MeasureBareTable(Path.Combine(directory, "bare.db"), inputs);
            report.Line(Row("bare table (key, id, payload, phase)", "insert at accept", insert, null));
            report.Line(Row("bare table (key, id, payload, phase)", "update at consume", consume, null));
            report.Line(Row("bare table (key, id, payload, phase)", "both", insert + consume, bareBytes));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is not worth failing the run over.
            }
        }

        report.Line("");
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"CPU is the whole process's (the store's writer thread and the driver that builds the records and waits for them), so it is an upper bound on the writer's share; inputs/s is wall time, with the fsyncs. Bytes on disk: the database and WAL files after the run, per input, before any retention. The machine has {Environment.ProcessorCount} cores."));
        report.Line($"Load average at the end: {Machine.LoadAverage()}.");
        report.Line("");
        report.Line("Run: `dotnet run -c Release --project bench/Runtime.Bench -- journal [inputs]` (default 200,000).");
        Console.WriteLine($"wrote {report.Save(resultsDirectory)}");
        return 0;
    }

    private static string Row(string what, string stage, Cost cost, double? bytes) => string.Create(CultureInfo.InvariantCulture,
        $"| {what} | {stage} | {cost.CpuMicroseconds:N1} | {cost.WallMicroseconds:N1} | {1e6 / cost.WallMicroseconds:N0} | {(bytes is { } b ? b.ToString("N0", CultureInfo.InvariantCulture) : "")} |");

    private readonly record struct Cost(double CpuMicroseconds, double WallMicroseconds)
    {
        public static Cost operator +(Cost a, Cost b) => new(a.CpuMicroseconds + b.CpuMicroseconds, a.WallMicroseconds + b.WallMicroseconds);
    }

    private static async Task<(List<(string Stage, Cost Cost)> Stages, double BytesPerInput)> MeasureJournalAsync(
        string directory, int inputs, bool withEvents)
    {
        var store = new SqliteRuntimeStore(Options.Create(new SqliteStoreOptions { DataDirectory = directory }));
        await store.InitializeAsync(CancellationToken.None);
        try
        {
            var now = DateTimeOffset.UtcNow;
            var payload = new byte[PayloadBytes];
            Random.Shared.NextBytes(payload);
            var runtimes = new List<RuntimeRecord>();
            for (var r = 0; r < Runtimes; r++)
            {
                var runtime = new RuntimeRecord { RuntimeId = $"bench-{r}", State = RuntimeState.Attached, Destination = "sink", CreatedAt = now, UpdatedAt = now };
                await store.AppendAsync(new LedgerAppend
                {
                    Runtime = runtime.Snapshot(), CreatesRuntime = true, ExpectedSequence = 0, OwnerEpoch = 1, Kind = "create",
                }, CancellationToken.None);
                runtime.Key = (await store.FindRuntimeAsync(runtime.RuntimeId, CancellationToken.None))!.Key;
                runtime.LedgerSequence = 1;
                runtime.OwnerEpoch = 1;
                runtimes.Add(runtime);
            }

            var turnsPerRuntime = inputs / Runtimes / InputsPerTurn;
            var batches = new List<InputRecord>[Runtimes][];
            var runs = new RunRecord[Runtimes][];
            var accept = await TimedAsync(turnsPerRuntime * Runtimes * InputsPerTurn, runtimes, turnsPerRuntime, (r, runtime, t) =>
            {
                var batch = new List<InputRecord>(InputsPerTurn);
                for (var i = 0; i < InputsPerTurn; i++)
                {
                    var position = runtime.NextPosition++;
                    batch.Add(new InputRecord
                    {
                        InputId = TimeOrderedId.ForPosition(now, runtime.RuntimeId, position),
                        Position = position,
                        Kind = "bench",
                        Payload = payload,
                        Phase = InputPhase.Queued,
                        CreatedAt = now,
                        UpdatedAt = now,
                        IsNew = true,
                    });
                }

                (batches[r] ??= new List<InputRecord>[turnsPerRuntime])[t] = batch;
                runtime.PhaseCounts[(int)InputPhase.Queued] += InputsPerTurn;
                return Append(runtime, "accept", withEvents ? Transitions(runtime, batch, now, null, InputPhase.Accepted, InputPhase.Queued) : [],
                    inserted: batch);
            });
            var stage = await TimedAsync(turnsPerRuntime * Runtimes * InputsPerTurn, runtimes, turnsPerRuntime, (r, runtime, t) =>
            {
                var batch = batches[r][t];
                var run = new RunRecord
                {
                    RunId = Guid.CreateVersion7(now).ToString(),
                    Status = RunStatus.InFlight,
                    InputIds = batch.ConvertAll(i => i.InputId),
                    Positions = batch.ConvertAll(i => i.Position),
                    StartedAt = now,
                };
                (runs[r] ??= new RunRecord[turnsPerRuntime])[t] = run;
                runtime.PhaseCounts[(int)InputPhase.Queued] -= InputsPerTurn;
                runtime.PhaseCounts[(int)InputPhase.Staged] += InputsPerTurn;
                return Append(runtime, "run", withEvents ? Transitions(runtime, batch, now, InputPhase.Queued, InputPhase.Staged) : [],
                    runs: [run.Snapshot()]);
            });
            var consume = await TimedAsync(turnsPerRuntime * Runtimes * InputsPerTurn, runtimes, turnsPerRuntime, (r, runtime, t) =>
            {
                var batch = batches[r][t];
                var run = runs[r][t];
                run.Status = RunStatus.Completed;
                run.EndedAt = now;
                var receipt = new ReceiptRecord(++runtime.BoundarySequence, run.RunId, run.InputIds, "digest", now);
                runtime.PhaseCounts[(int)InputPhase.Staged] -= InputsPerTurn;
                runtime.PhaseCounts[(int)InputPhase.Consumed] += InputsPerTurn;
                runtime.LiveFloor = batch[^1].Position + 1;
                return Append(runtime, "run", withEvents ? Transitions(runtime, batch, now, InputPhase.Staged, InputPhase.Applied, InputPhase.Consumed) : [],
                    runs: [run.Snapshot()], receipts: [receipt]);
            });

            var written = turnsPerRuntime * Runtimes * InputsPerTurn;
            var bytes = Directory.GetFiles(directory).Sum(f => new FileInfo(f).Length) / (double)written;
            return ([("accept", accept), ("run staged", stage), ("run applied, inputs consumed", consume), ("all three", accept + stage + consume)], bytes);
        }
        finally
        {
            await store.DisposeAsync();
        }

        Task Append(RuntimeRecord runtime, string kind, List<RuntimeEvent> events,
            IReadOnlyList<InputRecord>? inserted = null, IReadOnlyList<RunRecord>? runs = null, IReadOnlyList<ReceiptRecord>? receipts = null)
        {
            var append = new LedgerAppend
            {
                Runtime = runtime.Snapshot(),
                ExpectedSequence = runtime.LedgerSequence,
                OwnerEpoch = runtime.OwnerEpoch,
                Kind = kind,
                Inserted = inserted ?? [],
                Runs = runs ?? [],
                Receipts = receipts ?? [],
                Events = events,
            };
            runtime.LedgerSequence++;
            return store.AppendAsync(append, CancellationToken.None);
        }
    }

    /// <summary>The input transitions a turn produces: each input through <paramref name="phases"/>, from <paramref name="from"/>.</summary>
    private static List<RuntimeEvent> Transitions(RuntimeRecord runtime, List<InputRecord> batch, DateTimeOffset now, InputPhase? from, params InputPhase[] phases)
    {
        var events = new List<RuntimeEvent>(batch.Count * phases.Length);
        foreach (var input in batch)
        {
            var previous = from;
            foreach (var phase in phases)
            {
                events.Add(new RuntimeEvent
                {
                    Kind = RuntimeEventKind.InputTransitioned,
                    Time = now,
                    RuntimeId = runtime.RuntimeId,
                    InputId = input.InputId,
                    InputKind = input.Kind,
                    FromPhase = previous,
                    ToPhase = phase,
                    Bytes = input.Payload.Length,
                });
                previous = phase;
            }
        }

        return events;
    }

    /// <summary>Each runtime writes its turns in order with up to <see cref="TurnsInFlightPerRuntime"/> in flight, all runtimes at once.</summary>
    private static async Task<Cost> TimedAsync(int inputs, List<RuntimeRecord> runtimes, int turns, Func<int, RuntimeRecord, int, Task> turn)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(runtimes.Select(async (runtime, r) =>
        {
            await Task.Yield();
            var inFlight = new Queue<Task>();
            for (var t = 0; t < turns; t++)
            {
                if (inFlight.Count == TurnsInFlightPerRuntime)
                {
                    await inFlight.Dequeue();
                }

                inFlight.Enqueue(turn(r, runtime, t));
            }

            await Task.WhenAll(inFlight);
        }));
        process.Refresh();
        return new Cost((process.TotalProcessorTime - cpu).TotalMicroseconds / inputs, wall.Elapsed.TotalMicroseconds / inputs);
    }

    private static (Cost Insert, Cost Consume, double BytesPerInput) MeasureBareTable(string path, int inputs)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -8192; " +
                                "CREATE TABLE inputs (key INTEGER PRIMARY KEY, id TEXT NOT NULL, payload BLOB, phase INTEGER NOT NULL)";
            setup.ExecuteNonQuery();
        }

        var db = connection.Handle!;
        var insert = Prepare(db, "INSERT INTO inputs (key, id, payload, phase) VALUES (?1, ?2, ?3, 1)");
        var consume = Prepare(db, "UPDATE inputs SET phase = ?1 WHERE key = ?2");
        var payload = new byte[PayloadBytes];
        Random.Shared.NextBytes(payload);
        var ids = Enumerable.Range(0, inputs).Select(_ => System.Text.Encoding.UTF8.GetBytes(Guid.CreateVersion7().ToString())).ToArray();
        var insertCost = Timed(inputs, i =>
        {
            raw.sqlite3_bind_int64(insert, 1, Key(i));
            raw.sqlite3_bind_text(insert, 2, ids[i]);
            raw.sqlite3_bind_blob(insert, 3, payload);
            Step(db, insert);
        }, db);
        var consumeCost = Timed(inputs, i =>
        {
            raw.sqlite3_bind_int64(consume, 1, 5);
            raw.sqlite3_bind_int64(consume, 2, Key(i));
            Step(db, consume);
        }, db);
        raw.sqlite3_finalize(insert);
        raw.sqlite3_finalize(consume);
        var bytes = new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
        return (insertCost, consumeCost, bytes / (double)inputs);
    }

    // One runtime's inputs are contiguous: (runtime << 32) | position.
    private static long Key(int i) => ((long)(i % Runtimes) << 32) | (uint)(i / Runtimes);

    private static Cost Timed(int inputs, Action<int> write, sqlite3 db)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var start = 0; start < inputs; start += RowsPerCommit)
        {
            Check(db, raw.sqlite3_exec(db, "BEGIN"));
            for (var i = start; i < Math.Min(inputs, start + RowsPerCommit); i++)
            {
                write(i);
            }

            Check(db, raw.sqlite3_exec(db, "COMMIT"));
        }

        process.Refresh();
        return new Cost((process.TotalProcessorTime - cpu).TotalMicroseconds / inputs, wall.Elapsed.TotalMicroseconds / inputs);
    }

    private static sqlite3_stmt Prepare(sqlite3 db, string sql)
    {
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        return statement;
    }

    private static void Step(sqlite3 db, sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            Check(db, rc);
        }
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE))
        {
            throw new InvalidOperationException($"SQLite error {rc}: {raw.sqlite3_errmsg(db).utf8_to_string()}");
        }
    }
}
