using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Runtime.Bench.Harness;
using Runtime.Storage.Sqlite;
using SQLitePCL;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// The floor under issue 4's end-to-end goal: what SQLite alone costs per input for the two writes a durable
/// per-input ledger cannot skip (the row inserted when the input is accepted, its phase changed when it is consumed),
/// committed in groups with an fsync each (synchronous=FULL), with no actor, no events, no gRPC. Measured on the
/// runtime's own <c>inputs</c> table (its schema read from a freshly migrated ledger, so it cannot drift) and on a
/// bare four-column table. CPU per input here bounds what any design with per-input rows can reach on this machine.
/// Writes <c>bench/results/ledger-floor.md</c>.
/// </summary>
public static class LedgerFloor
{
    private const int Runtimes = 16;
    private const int InputsPerCommit = 256;
    private const int PayloadBytes = 256;

    /// <summary>Runs the scenario.</summary>
    public static async Task<int> RunAsync(string resultsDirectory, int inputs)
    {
        var report = new Report("ledger-floor");
        report.Line($"Load average at start (other work shares these cores): {Machine.LoadAverage()}.");
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"{inputs:N0} inputs of {PayloadBytes} B over {Runtimes} runtimes, {InputsPerCommit} inputs per commit, WAL, synchronous=FULL, prepared statements on SQLite's own API (as the ledger's writer uses it), one thread."));
        report.Line("");
        report.Line("| table | write | CPU µs per input | wall µs per input | ceiling: one writer busy all the time (inputs/s) |");
        report.Line("| --- | --- | ---: | ---: | ---: |");

        var directory = Path.Combine(Path.GetTempPath(), "runtime-bench", Guid.NewGuid().ToString("N"));
        try
        {
            var runtimeSchema = await MigratedInputsTableAsync(directory);
            foreach (var (name, ddl) in new[]
                     {
                         ("runtime's `inputs`", runtimeSchema),
                         ("bare (key, id, payload, phase)",
                             "CREATE TABLE inputs (key INTEGER PRIMARY KEY, id TEXT NOT NULL, payload BLOB, phase INTEGER NOT NULL)"),
                     })
            {
                var (insert, consume) = Measure(Path.Combine(directory, $"floor-{Guid.NewGuid():N}.db"), ddl, inputs);
                report.Line(Row(name, "insert at accept", insert));
                report.Line(Row(name, "phase update at consume", consume));
                report.Line(Row(name, "both", insert + consume));
            }
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
            $"SQLite lets one connection write at a time (the ledger has one writer thread), so the ceiling is one core's worth of CPU divided by the CPU per input: the storage alone, before accepting over gRPC, running the input's transitions and delivering it, on a machine with {Environment.ProcessorCount} cores shared by all of that. Compare with the baseline of [end-to-end](end-to-end.md), which forwards batches to the sink without touching a disk."));
        report.Line($"Load average at the end: {Machine.LoadAverage()}.");
        report.Line("");
        report.Line("Run: `dotnet run -c Release --project bench/Runtime.Bench -- ledger-floor [inputs]` (default 200,000).");
        Console.WriteLine($"wrote {report.Save(resultsDirectory)}");
        return 0;
    }

    private static string Row(string table, string write, Cost cost) => string.Create(CultureInfo.InvariantCulture,
        $"| {table} | {write} | {cost.CpuMicroseconds:N1} | {cost.WallMicroseconds:N1} | {1e6 / cost.CpuMicroseconds:N0} |");

    /// <summary>The <c>inputs</c> table and its indexes exactly as the ledger's migrations create them.</summary>
    private static async Task<string> MigratedInputsTableAsync(string directory)
    {
        var store = new SqliteRuntimeStore(Options.Create(new SqliteStoreOptions { DataDirectory = directory, FileName = "schema.db" }));
        await store.InitializeAsync(CancellationToken.None);
        await store.DisposeAsync();
        using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "schema.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_master WHERE tbl_name = 'inputs' AND sql IS NOT NULL ORDER BY type DESC";
        using var reader = command.ExecuteReader();
        var statements = new List<string>();
        while (reader.Read())
        {
            statements.Add(reader.GetString(0));
        }

        return string.Join(";\n", statements);
    }

    private readonly record struct Cost(double CpuMicroseconds, double WallMicroseconds)
    {
        public static Cost operator +(Cost a, Cost b) => new(a.CpuMicroseconds + b.CpuMicroseconds, a.WallMicroseconds + b.WallMicroseconds);
    }

    private static (Cost Insert, Cost Consume) Measure(string path, string ddl, int inputs)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536; " + ddl;
            setup.ExecuteNonQuery();
        }

        var db = connection.Handle!;
        var columns = Columns(connection);
        var insert = Prepare(db, $"INSERT INTO inputs ({string.Join(", ", columns.Select(c => c.Name))}) " +
                                 $"VALUES ({string.Join(", ", columns.Select((_, i) => $"?{i + 1}"))})");
        var consume = Prepare(db, "UPDATE inputs SET phase = ?1 WHERE key = ?2");
        var payload = new byte[PayloadBytes];
        Random.Shared.NextBytes(payload);
        // Text is bound as UTF-8, as the ledger's writer binds it.
        var ids = Enumerable.Range(0, inputs).Select(_ => System.Text.Encoding.UTF8.GetBytes(Guid.CreateVersion7().ToString())).ToArray();
        var filler = "x"u8.ToArray();

        var insertCost = Timed(inputs, i =>
        {
            for (var c = 0; c < columns.Count; c++)
            {
                var column = columns[c];
                _ = column.Name switch
                {
                    "key" => raw.sqlite3_bind_int64(insert, c + 1, Key(i)),
                    "rk" => raw.sqlite3_bind_int64(insert, c + 1, i % Runtimes),
                    "id" => raw.sqlite3_bind_text(insert, c + 1, ids[i]),
                    "payload" => raw.sqlite3_bind_blob(insert, c + 1, payload),
                    _ when !column.NotNull => raw.sqlite3_bind_null(insert, c + 1),
                    _ when column.IsText => raw.sqlite3_bind_text(insert, c + 1, filler),
                    _ => raw.sqlite3_bind_int64(insert, c + 1, 1),
                };
            }

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
        return (insertCost, consumeCost);
    }

    // One runtime's inputs are contiguous, as in the ledger: (runtime << 32) | position.
    private static long Key(int i) => ((long)(i % Runtimes) << 32) | (uint)(i / Runtimes);

    private static Cost Timed(int inputs, Action<int> write, sqlite3 db)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var start = 0; start < inputs; start += InputsPerCommit)
        {
            Exec(db, "BEGIN");
            for (var i = start; i < Math.Min(inputs, start + InputsPerCommit); i++)
            {
                write(i);
            }

            Exec(db, "COMMIT");
        }

        process.Refresh();
        return new Cost((process.TotalProcessorTime - cpu).TotalMicroseconds / inputs, wall.Elapsed.TotalMicroseconds / inputs);
    }

    private sealed record Column(string Name, bool NotNull, bool IsText);

    private static List<Column> Columns(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, \"notnull\", type FROM pragma_table_info('inputs')";
        using var reader = command.ExecuteReader();
        var columns = new List<Column>();
        while (reader.Read())
        {
            columns.Add(new Column(reader.GetString(0), reader.GetInt64(1) == 1, reader.GetString(2) == "TEXT"));
        }

        return columns;
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

    private static void Exec(sqlite3 db, string sql) => Check(db, raw.sqlite3_exec(db, sql));

    private static void Check(sqlite3 db, int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE))
        {
            throw new InvalidOperationException($"SQLite error {rc}: {raw.sqlite3_errmsg(db).utf8_to_string()}");
        }
    }
}
