using System.Diagnostics;
using System.Globalization;
using Runtime.Bench.Harness;
using Runtime.Core.Delivery;
using Runtime.Core.Hosting;
using Runtime.Storage.Sqlite;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// Issue 3's memory goal: 100,000 idle runtimes in one process under 1 GiB resident. Runtimes are created through the
/// in-process host (each one an actor with its mailbox, record and idle timer, and a row in a real SQLite ledger),
/// left idle, then measured after a full collection; the baseline is the same process before creating them.
/// </summary>
public static class IdleRuntimes
{
    private const long GoalBytes = 1L << 30;
    private const int InFlight = 256;

    /// <summary>Runs the scenario and writes <c>bench/results/idle-runtimes.md</c>.</summary>
    public static async Task<int> RunAsync(string resultsDirectory, int count)
    {
        var report = new Report("idle-runtimes");
        report.Line($"Load average at start (other work shares these cores): {Machine.LoadAverage()}.");
        report.Line($"{count:N0} runtimes created through the in-process host (bound to `{InProcessDeliveryPort.AcceptSink}`, " +
                    $"{InFlight} creates in flight), SQLite ledger with synchronous=NORMAL, idle unloading after 10 minutes " +
                    "(so every runtime stays loaded while measured). Figures after a forced full compacting GC. " +
                    $"Server GC: {System.Runtime.GCSettings.IsServerGC}.");
        report.Line("");

        var data = Path.Combine(Path.GetTempPath(), "runtime-bench", Guid.NewGuid().ToString("N"));
        var options = new RuntimeHostOptions { IdleDeactivationDelay = TimeSpan.FromMinutes(10) };
        try
        {
            await using var ledger = new LedgerHost(data, options, SqliteSynchronous.Normal);
            await ledger.StartAsync();
            var host = ledger.Host;
            var ids = Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"idle-{i:D6}")).ToArray();

            Machine.FullCollect();
            var before = Machine.Memory();

            var watch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (id, token) =>
                await host.CreateRuntimeAsync(new RuntimeSpec { RuntimeId = id, Destination = InProcessDeliveryPort.AcceptSink }, token));
            var created = watch.Elapsed;

            Machine.FullCollect();
            var loaded = Machine.Memory();
            var loadedCount = host.LoadedRuntimes;

            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (id, token) =>
                await host.DeactivateAsync(id, token));
            Machine.FullCollect();
            var unloaded = Machine.Memory();
            var unloadedCount = host.LoadedRuntimes;

            report.Line("| moment | loaded runtimes | resident | private | managed heap |");
            report.Line("|---|---:|---:|---:|---:|");
            report.Line(Row("baseline: host started, before creating", 0, before));
            report.Line(Row($"{count:N0} idle runtimes loaded", loadedCount, loaded));
            report.Line(Row("after deactivating them (unloaded; rows stay on disk)", unloadedCount, unloaded));
            report.Line("");
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"Created {count:N0} runtimes in {created.TotalSeconds:N1} s ({count / created.TotalSeconds:N0}/s)."));
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"Per loaded idle runtime: {(loaded.ManagedHeap - before.ManagedHeap) / (double)count:N0} managed bytes, " +
                $"{(loaded.Resident - before.Resident) / (double)count:N0} resident bytes."));
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"**Result: {Machine.Mib(loaded.Resident)} resident with {loadedCount:N0} idle runtimes loaded " +
                $"({loaded.Resident / (double)before.Resident:N1}× the baseline's {Machine.Mib(before.Resident)}); " +
                $"goal < {Machine.Mib(GoalBytes)}: {(loaded.Resident < GoalBytes ? "met" : "missed")}.**"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }

        report.Line("");
        report.Line($"Load average at the end: {Machine.LoadAverage()}.");
        Console.WriteLine($"written to {report.Save(resultsDirectory)}");
        return 0;
    }

    private static string Row(string moment, int loadedRuntimes, MemoryFigures m) => string.Create(CultureInfo.InvariantCulture,
        $"| {moment} | {loadedRuntimes:N0} | {Machine.Mib(m.Resident)} | {Machine.Mib(m.Private)} | {Machine.Mib(m.ManagedHeap)} |");
}
