using System.Diagnostics;
using System.Globalization;
using Grpc.Net.Client;
using HdrHistogram;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Runtime.Contracts.V1;
using Runtime.Core.Events;
using Runtime.Core.Hosting;
using Runtime.SampleSink;
using Runtime.Server.Hosting;
using Runtime.Storage.Sqlite;
using RuntimePolicy = Runtime.Core.Policies.RuntimePolicy;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// End to end: accept → runtime → gRPC wire → sample sink → ack → CONSUMED with a receipt, next to a baseline that
/// streams the same batches straight from a client to the same sink. Each caller owns a runtime and sends a batch,
/// then waits until all of it is CONSUMED (that wait is the latency). Writes <c>bench/results/end-to-end.md</c>.
/// </summary>
internal static class EndToEnd
{
    private const int Callers = 16;
    private const int Batch = 16;
    private const int PayloadBytes = 256;

    // BENCH_SQLITE_SYNCHRONOUS=Normal measures without an fsync per commit (the documented durability trade-off).
    private static readonly SqliteSynchronous Synchronous =
        Enum.TryParse<SqliteSynchronous>(Environment.GetEnvironmentVariable("BENCH_SQLITE_SYNCHRONOUS"), out var s) ? s : SqliteSynchronous.Full;

    /// <summary>Runs the scenario; <paramref name="seconds"/> per measured phase.</summary>
    /// <param name="seconds">Length of each measured phase.</param>
    /// <param name="destination">
    /// <c>grpc</c> (the scenario) or <c>inproc</c> (the runtime delivering to the built-in accepting sink: isolates the
    /// cost of the ledger from the cost of the wire).
    /// </param>
    public static async Task<int> RunAsync(int seconds, string destination = "grpc")
    {
        var duration = TimeSpan.FromSeconds(seconds);
        var payloads = Enumerable.Range(0, Batch).Select(i => Enumerable.Repeat((byte)i, PayloadBytes).ToArray()).ToArray();
        var sink = SampleSinkApp.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel=Error", "--Sink:MaxOrderPerRuntime=0"]);
        await sink.StartAsync();
        var sinkAddress = sink.Urls.First();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "runtime-bench", Guid.NewGuid().ToString("N"));
        var consumption = new EndToEndConsumption();
        var server = RuntimeServerApp.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning",
            "--Runtime:DataDirectory", dataDirectory], builder => ComposeCore(builder, dataDirectory, consumption));
        await server.StartAsync();
        try
        {
            var host = server.Services.GetRequiredService<IRuntimeHost>();
            var catalog = server.Services.GetRequiredService<Transports.Destinations.IDestinationCatalog>();
            await catalog.CreateDestinationAsync("sink", [new(Transports.Destinations.WireKind.Grpc, sinkAddress, 0)], CancellationToken.None);
            for (var c = 0; c < Callers; c++)
            {
                consumption.Track($"bench-{c}");
                await host.CreateRuntimeAsync(new RuntimeSpec
                {
                    RuntimeId = $"bench-{c}",
                    Destination = destination == "inproc" ? "inproc:accept" : "sink",
                    Policy = RuntimePolicy.Default,
                });
            }

            var submissions = payloads.Select(p => new InputSubmission { Kind = "bench", Payload = p, ContentType = "application/octet-stream" }).ToArray();
            var accepted = new long[Callers];
            async Task RuntimeCall(int caller, long _)
            {
                var id = $"bench-{caller}";
                await host.AcceptInputsAsync(id, submissions);
                await consumption.WaitForAsync(id, accepted[caller] += Batch);
            }

            using var channel = GrpcChannel.ForAddress(sinkAddress);
            await using var baseline = new EndToEndBaseline(channel, Callers);
            Task BaselineCall(int caller, long iteration) => baseline.SendAsync(caller, iteration, payloads);

            // Warm up both paths (JIT, connections, SQLite pages), then measure side by side.
            await ClosedLoopAsync(TimeSpan.FromSeconds(2), RuntimeCall);
            await ClosedLoopAsync(TimeSpan.FromSeconds(2), BaselineCall);
            var runtimeMax = await ClosedLoopAsync(duration, RuntimeCall);
            var baselineMax = await ClosedLoopAsync(duration, BaselineCall);
            var runtimeHalf = await PacedLoopAsync(duration, runtimeMax.BatchesPerSecond / 2, RuntimeCall);
            var baselineHalf = await PacedLoopAsync(duration, baselineMax.BatchesPerSecond / 2, BaselineCall);

            var stats = sink.Services.GetRequiredService<SinkLedger>().Snapshot();
            var report = Report(runtimeMax, baselineMax, runtimeHalf, baselineHalf, stats);
            Console.WriteLine(report);
            var path = Path.Combine(FindRepositoryRoot(), "bench", "results", destination == "inproc" ? "end-to-end-inproc.md" : "end-to-end.md");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, report);
            return 0;
        }
        finally
        {
            await server.StopAsync();
            await server.DisposeAsync();
            await sink.StopAsync();
            await sink.DisposeAsync();
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is not worth failing the run over.
            }
        }
    }

    private static void ComposeCore(WebApplicationBuilder builder, string dataDirectory, EndToEndConsumption consumption)
    {
        var services = builder.Services;
        if (!services.Any(d => d.ServiceType == typeof(RuntimeHost)))
        {
            // The core's registration is not wired into the server on this branch yet: compose it as it will be.
            services.AddSqliteRuntimeStore(o =>
            {
                o.DataDirectory = dataDirectory;
                o.Synchronous = Synchronous;
            });
            services.AddRuntimeHost();
            TransportRegistration.DecorateRuntimeHost(services);
        }

        services.RemoveAll<IRuntimeEventPublisher>();
        services.AddSingleton<IRuntimeEventPublisher>(consumption);
    }

    private sealed record Result(long Batches, TimeSpan Elapsed, LongHistogram Latency)
    {
        public double BatchesPerSecond => Batches / Elapsed.TotalSeconds;

        public double InputsPerSecond => BatchesPerSecond * Batch;

        public double Ms(double percentile) => Latency.TotalCount == 0
            ? 0
            : Latency.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
    }

    private static Task<Result> ClosedLoopAsync(TimeSpan duration, Func<int, long, Task> call) =>
        LoopAsync(duration, call, interval: null);

    /// <summary>Each caller sends on a fixed schedule (total <paramref name="batchesPerSecond"/>); latency is per batch.</summary>
    private static Task<Result> PacedLoopAsync(TimeSpan duration, double batchesPerSecond, Func<int, long, Task> call) =>
        LoopAsync(duration, call, TimeSpan.FromSeconds(Callers / Math.Max(1, batchesPerSecond)));

    private static async Task<Result> LoopAsync(TimeSpan duration, Func<int, long, Task> call, TimeSpan? interval)
    {
        var histograms = Enumerable.Range(0, Callers).Select(_ => new LongHistogram(TimeStamp.Minutes(1), 3)).ToArray();
        long batches = 0;
        using var stop = new CancellationTokenSource(duration);
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(async caller =>
        {
            await Task.Yield();
            using var timer = interval is { } every ? new PeriodicTimer(every) : null;
            for (long i = 0; !stop.IsCancellationRequested; i++)
            {
                if (timer is not null && !await WaitTickAsync(timer, stop.Token))
                {
                    break;
                }

                var t0 = Stopwatch.GetTimestamp();
                await call(caller, i);
                histograms[caller].RecordValue(Stopwatch.GetTimestamp() - t0);
                Interlocked.Increment(ref batches);
            }
        }));
        var total = new LongHistogram(TimeStamp.Minutes(1), 3);
        foreach (var h in histograms)
        {
            total.Add(h);
        }

        return new Result(batches, started.Elapsed, total);
    }

    private static async Task<bool> WaitTickAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static string Report(Result runtimeMax, Result baselineMax, Result runtimeHalf, Result baselineHalf, SinkStats stats)
    {
        string Row(string name, Result r) => string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {r.InputsPerSecond:N0} | {r.Ms(50):N2} | {r.Ms(99):N2} | {r.Batches * Batch:N0} |");
        var ratio = runtimeMax.InputsPerSecond / baselineMax.InputsPerSecond;
        return string.Join('\n',
            "# End to end: accept → runtime → gRPC wire → sample sink → ack → CONSUMED",
            "",
            string.Create(CultureInfo.InvariantCulture,
                $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {Callers} callers, {Batch} inputs of {PayloadBytes} B per batch, one process, loopback."),
            $"Runtime: each caller owns a runtime (FIFO, consumed on apply, SQLite synchronous={Synchronous.ToString().ToUpperInvariant()}), accepts a batch in-process",
            "(`IRuntimeHost.AcceptInputsAsync`, what AcceptInputStream calls) and waits until every input of it is CONSUMED (its",
            "receipt is written in the same transaction). Baseline: the same batches streamed by a client straight to the same",
            "sink over `SinkService.Deliver`, waiting for each ack. Latency is per batch: accept to last input CONSUMED.",
            "",
            "| path | inputs/s | p50 ms | p99 ms | inputs |",
            "| --- | ---: | ---: | ---: | ---: |",
            Row("runtime, max load (closed loop)", runtimeMax),
            Row("baseline, max load (closed loop)", baselineMax),
            Row("runtime, half of its max (paced)", runtimeHalf),
            Row("baseline, half of its max (paced)", baselineHalf),
            "",
            string.Create(CultureInfo.InvariantCulture,
                $"Runtime reaches {ratio:P0} of the baseline's throughput (goal ≥ 40%); p50 at half load {runtimeHalf.Ms(50):N2} ms (goal < 5 ms)."),
            string.Create(CultureInfo.InvariantCulture,
                $"Sink saw {stats.Received:N0} items, {stats.Duplicates:N0} duplicates, {stats.Refused:N0} refused."),
            "",
            "Run: `dotnet run -c Release --project bench/Runtime.Bench -- end-to-end [seconds]`.",
            "");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "global.json")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
