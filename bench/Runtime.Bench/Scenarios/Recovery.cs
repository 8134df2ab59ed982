using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Runtime.Bench.Harness;
using Runtime.Core.Hosting;
using Runtime.Core.Policies;
using Runtime.Storage.Sqlite;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// Issue 3's restart goal: a ledger of 1,000,000 inputs (100,000 of them non-terminal, over 1,000 runtimes) is
/// recovered by a fresh host in under 10 s, counted until every runtime answers. The ledger is written through the
/// in-process host (synchronous=NORMAL, batched accepts; 9 of 10 inputs are consumed on accept). The baseline is
/// opening the same SQLite file and counting its inputs (the accepted ranges of the journal).
/// </summary>
public static class Recovery
{
    private const int Runtimes = 1_000;
    private const int InputsPerRuntime = 1_000;
    private const int LivePerRuntime = 100;
    private const int AcceptBatch = 500;
    private static readonly TimeSpan Goal = TimeSpan.FromSeconds(10);
    private static readonly ReadOnlyMemory<byte> Payload = new byte[32];

    /// <summary>Runs the scenario and writes <c>bench/results/recovery.md</c>.</summary>
    public static async Task<int> RunAsync(string resultsDirectory, int runtimes)
    {
        var report = new Report("recovery");
        var total = (long)runtimes * InputsPerRuntime;
        var live = (long)runtimes * LivePerRuntime;
        report.Line($"Load average at start (other work shares these cores): {Machine.LoadAverage()}.");
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"Ledger: {total:N0} inputs over {runtimes:N0} runtimes without a destination, {live:N0} of them non-terminal (QUEUED), " +
            $"the rest CONSUMED on accept; payload {Payload.Length} bytes; written through the in-process host with synchronous=NORMAL."));
        report.Line("");

        var data = Path.Combine(Path.GetTempPath(), "runtime-bench", Guid.NewGuid().ToString("N"));
        var options = new RuntimeHostOptions { IdleDeactivationDelay = TimeSpan.FromMinutes(10) };
        var ids = Enumerable.Range(0, runtimes).Select(i => string.Create(CultureInfo.InvariantCulture, $"rec-{i:D4}")).ToArray();
        try
        {
            var written = Stopwatch.StartNew();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            string databasePath;
            await using (var writer = new LedgerHost(data, options, SqliteSynchronous.Normal))
            {
                await writer.StartAsync();
                databasePath = writer.DatabasePath;
                await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, token) =>
                    await WriteRuntimeAsync(writer.Host, id, token));
            }

            written.Stop();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var size = new FileInfo(databasePath).Length;
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"Wrote the ledger in {written.Elapsed.TotalSeconds:N1} s ({total / written.Elapsed.TotalSeconds:N0} inputs/s), " +
                $"{cpu.TotalMicroseconds / total:N1} µs of CPU per input (a figure the machine's load disturbs less); file {Machine.Mib(size)}."));

            var (baseline, rows) = CountRows(databasePath);
            var (readLive, liveRows) = ReadLiveRows(databasePath);

            var recovery = Stopwatch.StartNew();
            await using var restarted = new LedgerHost(data, options, SqliteSynchronous.Normal);
            await restarted.StartAsync();
            var started = recovery.Elapsed;
            var queued = 0L;
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, token) =>
                Interlocked.Add(ref queued, (await restarted.Host.GetRuntimeStateAsync(id, token)).QueueDepth));
            recovery.Stop();

            var recovered = restarted.Host.StartupRecoveries;
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"Fresh host: start (open + recover {recovered.Count:N0} runtimes, {recovered.Sum(r => r.InputsRecovered):N0} inputs replayed) " +
                $"{started.TotalSeconds:N2} s; every runtime answered GetRuntimeState after {recovery.Elapsed.TotalSeconds:N2} s; " +
                $"queue depth summed over runtimes: {queued:N0} (expected {live:N0})."));
            report.Line("");
            report.Line("| case | time |");
            report.Line("|---|---:|");
            report.Line(string.Create(CultureInfo.InvariantCulture, $"| Runtime: restart recovery until every runtime answers | {recovery.Elapsed.TotalSeconds:N2} s |"));
            report.Line(string.Create(CultureInfo.InvariantCulture, $"| baseline: open the SQLite file, count its {rows:N0} inputs | {baseline.TotalSeconds:N2} s |"));
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"| reference: open the file, read the journal records holding its {liveRows:N0} inputs at or above the live floors | {readLive.TotalSeconds:N2} s |"));
            report.Line("");
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"**Result: recovery {recovery.Elapsed.TotalSeconds:N2} s, {recovery.Elapsed / baseline:N1}× the baseline " +
                $"({recovery.Elapsed / readLive:N1}× reading the live journal records); goal < {Goal.TotalSeconds:N0} s: " +
                $"{(recovery.Elapsed < Goal && queued == live ? "met" : "missed")}.**"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }

        report.Line("");
        report.Line($"Load average at the end: {Machine.LoadAverage()}.");
        Console.WriteLine($"written to {report.Save(resultsDirectory)}");
        return 0;
    }

    /// <summary>One runtime's inputs in big accepts: the first ones consumed on accept, the last ones left queued.</summary>
    private static async Task WriteRuntimeAsync(IRuntimeHost host, string id, CancellationToken token)
    {
        await host.CreateRuntimeAsync(new RuntimeSpec { RuntimeId = id }, token);
        for (var from = 0; from < InputsPerRuntime; from += AcceptBatch)
        {
            var batch = Enumerable.Range(from, Math.Min(AcceptBatch, InputsPerRuntime - from)).Select(i => new InputSubmission
            {
                Kind = "bench",
                Payload = Payload,
                ConsumePoint = i < InputsPerRuntime - LivePerRuntime ? ConsumePoint.OnAccept : null,
            }).ToList();
            var results = await host.AcceptInputsAsync(id, batch, token);
            if (results.Any(r => r.Outcome != AcceptOutcome.Accepted))
            {
                throw new InvalidOperationException($"runtime {id}: an accept was not ACCEPTED");
            }
        }
    }

    /// <summary>
    /// A closer reference: open the file and read every journal record recovery must load (the accept records at or
    /// above each runtime's live floor), counting the inputs in them.
    /// </summary>
    private static (TimeSpan Elapsed, long Rows) ReadLiveRows(string databasePath)
    {
        var watch = Stopwatch.StartNew();
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT a.count, substr(j.body, a.offset + 1, a.length) FROM accepted a JOIN runtimes r ON r.rk = a.rk " +
            "JOIN journal j ON j.jk = a.jk WHERE a.first_pos + a.count > r.live_floor";
        using var rows = command.ExecuteReader();
        var count = 0L;
        while (rows.Read())
        {
            _ = (byte[])rows.GetValue(1);
            count += rows.GetInt64(0);
        }

        return (watch.Elapsed, count);
    }

    /// <summary>The baseline: open the file and count its inputs (the least any recovery must do).</summary>
    private static (TimeSpan Elapsed, long Rows) CountRows(string databasePath)
    {
        var watch = Stopwatch.StartNew();
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(sum(count), 0) FROM accepted";
        var rows = (long)command.ExecuteScalar()!;
        return (watch.Elapsed, rows);
    }
}
