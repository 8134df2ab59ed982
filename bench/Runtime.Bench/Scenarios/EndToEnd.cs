using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Google.Protobuf;
using Grpc.Net.Client;
using HdrHistogram;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Runtime.Bench.Harness;
using Runtime.Core.Events;
using Runtime.Core.Hosting;
using Runtime.SampleSink;
using Runtime.Server.Hosting;
using RuntimePolicy = Runtime.Core.Policies.RuntimePolicy;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// End to end: gRPC clients stream batches over <c>AcceptInputStream</c> into the real server → runtime → gRPC wire →
/// sample sink → ack → CONSUMED with a receipt, next to a baseline that streams the same batches straight from a client
/// to the same sink. Each caller owns a runtime (and a sink stream) and keeps a bounded window of batches in flight;
/// latency is per input, from its batch's first write to its CONSUMED commit (runtime) or its ack (baseline).
/// Writes <c>bench/results/end-to-end.md</c>.
/// </summary>
internal static class EndToEnd
{
    // BENCH_RUNTIMES=1: one caller and one runtime carry the whole window (16 × 8 batches), the case pipelined runs
    // are for; otherwise 16 callers each with their own runtime.
    private static readonly bool OneRuntime = Environment.GetEnvironmentVariable("BENCH_RUNTIMES") == "1";
    private static readonly int Callers = OneRuntime ? 1 : 16;
    private const int Batch = 16;
    private static readonly int WindowBatches = OneRuntime ? 128 : 8;
    private const int PayloadBytes = 256;

    // BENCH_SQLITE_SYNCHRONOUS=Normal measures without an fsync per commit (the documented durability trade-off).
    private static readonly string Synchronous =
        Environment.GetEnvironmentVariable("BENCH_SQLITE_SYNCHRONOUS") is { Length: > 0 } s ? s : "Full";

    // BENCH_ACCEPT_PER_INPUT=1 sends one AcceptInputStream request per input instead of one per batch.
    private static readonly bool PerInput = Environment.GetEnvironmentVariable("BENCH_ACCEPT_PER_INPUT") == "1";

    // BENCH_RUNS_IN_FLIGHT=n sets the runtimes' max_runs_in_flight (default: the policy's default).
    private static readonly int RunsInFlight =
        int.TryParse(Environment.GetEnvironmentVariable("BENCH_RUNS_IN_FLIGHT"), out var n) && n > 0 ? n : RuntimePolicy.Default.MaxRunsInFlight;

    /// <summary>Runs the scenario; <paramref name="seconds"/> per measured phase.</summary>
    /// <param name="seconds">Length of each measured phase.</param>
    /// <param name="destination">
    /// <c>grpc</c> (the scenario) or <c>inproc</c> (the runtime delivering to the built-in accepting sink: isolates the
    /// cost of the ledger from the cost of the wire).
    /// </param>
    // Warm once a 4-second warm-up round compiles fewer methods than this (of the ~14,000 a run compiles in all).
    private const int WarmJitMethods = 100;
    private static readonly TimeSpan MaxWarmup = TimeSpan.FromSeconds(40);

    public static async Task<int> RunAsync(int seconds, string destination = "grpc")
    {
        var loadAtStart = Machine.LoadAverage();
        var duration = TimeSpan.FromSeconds(seconds);
        var payloads = Enumerable.Range(0, Batch)
            .Select(i => ByteString.CopyFrom(Enumerable.Repeat((byte)i, PayloadBytes).ToArray())).ToArray();
        var sink = SampleSinkApp.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel=Error", "--Sink:MaxOrderPerRuntime=0"]);
        await sink.StartAsync();
        var sinkAddress = sink.Urls.First();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "runtime-bench", Guid.NewGuid().ToString("N"));
        var consumption = new EndToEndConsumption();
        // The ingest rate limit is an operator's guard, not part of what is measured.
        var server = RuntimeServerApp.Build(["--urls", "http://127.0.0.1:0", "--Runtime:Console:Enabled=false", "--Logging:LogLevel:Default=Warning",
            "--Runtime:DataDirectory", dataDirectory, $"--Runtime:Storage:Synchronous={Synchronous}",
            "--Runtime:Security:IngestRate:PermitsPerPeriod=0"],
            builder =>
            {
                builder.Services.RemoveAll<IEventCategories>();
                builder.Services.AddSingleton<IEventCategories>(consumption);
            });
        server.Services.GetRequiredService<IEventLog>().Listen(consumption);
        await server.StartAsync();
        try
        {
            var host = server.Services.GetRequiredService<IRuntimeHost>();
            var catalog = server.Services.GetRequiredService<Transports.Destinations.IDestinationCatalog>();
            await catalog.CreateDestinationAsync("sink", [new(Transports.Destinations.WireKind.Grpc, sinkAddress, 0)], CancellationToken.None);
            var runtimeFlows = new EndToEndFlow[Callers];
            for (var c = 0; c < Callers; c++)
            {
                runtimeFlows[c] = new EndToEndFlow(WindowBatches, Batch);
                consumption.Track($"bench-{c}", runtimeFlows[c]);
                await host.CreateRuntimeAsync(new RuntimeSpec
                {
                    RuntimeId = $"bench-{c}",
                    Destination = destination == "inproc" ? "inproc:accept" : "sink",
                    Policy = RuntimePolicy.Default with { MaxRunsInFlight = RunsInFlight },
                });
            }

            using var serverChannel = GrpcChannel.ForAddress(server.Urls.First());
            await using var ingest = new EndToEndIngest(serverChannel, Callers, PerInput);
            Task RuntimeSend(int caller, long sequence) => ingest.SendAsync(caller, $"bench-{caller}", payloads);

            var baselineFlows = Enumerable.Range(0, Callers).Select(_ => new EndToEndFlow(WindowBatches, Batch)).ToArray();
            using var sinkChannel = GrpcChannel.ForAddress(sinkAddress);
            await using var baseline = new EndToEndBaseline(sinkChannel, baselineFlows, Batch);
            Task BaselineSend(int caller, long sequence) => baseline.SendAsync(caller, sequence, payloads);

            // Warm up both paths (JIT, connections, SQLite pages), then measure side by side. The warm-up goes on
            // until the JIT has (nearly) finished tiering both paths up, bounded: on a busy 2-core machine tier-1
            // recompilation of the server's thousands of methods otherwise runs into the first measured phase (the
            // runtime's), charging it CPU that the baseline, measured after it, never pays.
            var warmup = Stopwatch.StartNew();
            long jitted;
            do
            {
                jitted = JitInfo.GetCompiledMethodCount();
                await LoopAsync(TimeSpan.FromSeconds(2), runtimeFlows, RuntimeSend, batchesPerSecond: null);
                await LoopAsync(TimeSpan.FromSeconds(2), baselineFlows, BaselineSend, batchesPerSecond: null);
            }
            while (JitInfo.GetCompiledMethodCount() - jitted > WarmJitMethods && warmup.Elapsed < MaxWarmup);
            warmup.Stop();
            var runtimeMax = await LoopAsync(duration, runtimeFlows, RuntimeSend, batchesPerSecond: null);
            var baselineMax = await LoopAsync(duration, baselineFlows, BaselineSend, batchesPerSecond: null);
            var runtimeHalf = await LoopAsync(duration, runtimeFlows, RuntimeSend, runtimeMax.InputsPerSecond / Batch / 2);
            var baselineHalf = await LoopAsync(duration, baselineFlows, BaselineSend, baselineMax.InputsPerSecond / Batch / 2);

            var stats = sink.Services.GetRequiredService<SinkLedger>().Snapshot();
            var report = Report(runtimeMax, baselineMax, runtimeHalf, baselineHalf, stats, ingest.Refused + baseline.Refused,
                loadAtStart, Machine.LoadAverage(), warmup.Elapsed);
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

    private sealed record Result(long Inputs, TimeSpan Elapsed, EndToEndFlow.Recording Recording, bool Drained, TimeSpan Cpu, long Jitted)
    {
        /// <summary>Process CPU time (server, sink and clients together) per 1,000 inputs completed.</summary>
        public double CpuMsPerThousand => Inputs == 0 ? 0 : Cpu.TotalMilliseconds * 1000 / Inputs;

        public double InputsPerSecond => Inputs / Elapsed.TotalSeconds;

        public double Ms(double percentile) => Ms(Recording.Latency, percentile);

        public static double Ms(LongHistogram h, double percentile) =>
            h.TotalCount == 0 ? 0 : h.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>
    /// Every caller sends batches as its window allows: back to back (<paramref name="batchesPerSecond"/> null, max load)
    /// or on a fixed schedule adding up to <paramref name="batchesPerSecond"/>. Throughput counts what completed within
    /// the phase; then the phase drains (bounded) so the next one starts empty.
    /// </summary>
    private static async Task<Result> LoopAsync(
        TimeSpan duration, EndToEndFlow[] flows, Func<int, long, Task> send, double? batchesPerSecond)
    {
        var recordings = flows.Select(_ => new EndToEndFlow.Recording()).ToArray();
        var before = flows.Sum(f => f.Completed);
        for (var c = 0; c < flows.Length; c++)
        {
            flows[c].Record(recordings[c]);
        }

        using var stop = new CancellationTokenSource(duration);
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var jittedBefore = JitInfo.GetCompiledMethodCount();
        var started = Stopwatch.StartNew();
        var interval = batchesPerSecond is { } rate ? TimeSpan.FromSeconds(flows.Length / Math.Max(1, rate)) : (TimeSpan?)null;

        // A timer ticks at most every millisecond: a faster pace sends several batches per tick.
        var perTick = interval is { } paced && paced < TimeSpan.FromMilliseconds(1) ? (int)Math.Ceiling(TimeSpan.FromMilliseconds(1) / paced) : 1;
        interval *= perTick;
        var callers = Enumerable.Range(0, flows.Length).Select(async caller =>
        {
            await Task.Yield();
            using var timer = interval is { } every ? new PeriodicTimer(every) : null;
            try
            {
                while (!stop.IsCancellationRequested && (timer is null || await timer.WaitForNextTickAsync(stop.Token)))
                {
                    for (var i = 0; i < perTick; i++)
                    {
                        var sequence = await flows[caller].BeginBatchAsync(stop.Token);
                        await send(caller, sequence);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The phase is over.
            }
        }).ToArray();
        await Task.WhenAll(callers);
        var completed = flows.Sum(f => f.Completed) - before;
        var elapsed = started.Elapsed;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var jitted = JitInfo.GetCompiledMethodCount() - jittedBefore;
        var drained = true;
        foreach (var flow in flows)
        {
            drained &= await flow.DrainAsync(TimeSpan.FromSeconds(30));
            flow.Record(null);
        }

        var total = new EndToEndFlow.Recording();
        foreach (var recording in recordings)
        {
            total.Add(recording);
        }

        return new Result(completed, elapsed, total, drained, cpu, jitted);
    }

    private static string Report(Result runtimeMax, Result baselineMax, Result runtimeHalf, Result baselineHalf, SinkStats stats,
        long refused, string loadAtStart, string loadAtEnd, TimeSpan warmup)
    {
        string Row(string name, Result r) => string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {r.InputsPerSecond:N0} | {r.Ms(50):N2} | {r.Ms(99):N2} | {r.Inputs:N0} | {r.CpuMsPerThousand:N0} |");
        string Stage(string name, LongHistogram h) => string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {Result.Ms(h, 50):N2} | {Result.Ms(h, 99):N2} |");
        var ratio = runtimeMax.InputsPerSecond / baselineMax.InputsPerSecond;
        var half = runtimeHalf.Ms(50);
        var stages = runtimeMax.Recording;
        var drained = runtimeMax.Drained && baselineMax.Drained && runtimeHalf.Drained && baselineHalf.Drained;
        static double Cores(Result r) => r.Cpu.TotalSeconds / r.Elapsed.TotalSeconds;
        return string.Join('\n',
            "# End to end: AcceptInputStream → runtime → gRPC wire → sample sink → ack → CONSUMED",
            "",
            string.Create(CultureInfo.InvariantCulture,
                $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {loadAtStart} at start and {loadAtEnd} at end."),
            string.Create(CultureInfo.InvariantCulture,
                $"{Callers} callers, batches of {Batch} inputs of {PayloadBytes} B, at most {WindowBatches} batches in flight per caller; server, sink and clients in one process, loopback h2c."),
            $"Runtime: each caller owns a runtime (FIFO, consumed on apply, {RunsInFlight} run(s) in flight, SQLite synchronous={Synchronous.ToUpperInvariant()}) and its own",
            PerInput
                ? "`AcceptInputStream` call to the real server (one request per input); an input completes when its CONSUMED transition (receipt in the same"
                : "`AcceptInputStream` call to the real server (one request per batch, `inputs`); an input completes when its CONSUMED transition (receipt in the same",
            "commit) is published by the server. Baseline: the same batches streamed by a client straight to the same sink over",
            "`SinkService.Deliver`; an input completes with its delivery's ack. Latency is per input, from its batch's first write.",
            "",
            "| path | inputs/s | p50 ms | p99 ms | inputs | CPU ms per 1k inputs |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
            Row("runtime, max load", runtimeMax),
            Row("baseline, max load", baselineMax),
            Row("runtime, half of its max (paced)", runtimeHalf),
            Row("baseline, half of its max (paced)", baselineHalf),
            "",
            string.Create(CultureInfo.InvariantCulture,
                $"Runtime reaches {ratio:P0} of the baseline's throughput (goal ≥ 40%: {(ratio >= 0.4 ? "met" : "missed")}); p50 at half load {half:N2} ms (goal < 5 ms: {(half < 5 ? "met" : "missed")})."),
            string.Create(CultureInfo.InvariantCulture,
                $"Sink saw {stats.Received:N0} items, {stats.Duplicates:N0} duplicates, {stats.Refused:N0} refused; {refused:N0} accepts or acks refused; every phase drained: {(drained ? "yes" : "no")}."),
            string.Create(CultureInfo.InvariantCulture,
                $"CPU per input at max load (client, server and sink share the process and the 2 cores): runtime {runtimeMax.CpuMsPerThousand:N0} µs, baseline {baselineMax.CpuMsPerThousand:N0} µs ({runtimeMax.CpuMsPerThousand / Math.Max(1, baselineMax.CpuMsPerThousand):N1}×): when both are CPU-bound, the throughput ratio follows it."),
            string.Create(CultureInfo.InvariantCulture,
                $"Warm-up {warmup.TotalSeconds:N0} s (until the JIT settled); methods compiled during the measured phases: runtime {runtimeMax.Jitted:N0} and {runtimeHalf.Jitted:N0}, baseline {baselineMax.Jitted:N0} and {baselineHalf.Jitted:N0}."),
            "",
            "Where a runtime input's time goes at max load (stamps from the server's events; stages follow each other):",
            "",
            "| stage | p50 ms | p99 ms |",
            "| --- | ---: | ---: |",
            Stage("client write → accept turn starts (gRPC in, mailbox)", stages.Ingress),
            Stage("accept turn → accept commit landed", stages.AcceptCommit),
            Stage("→ staged, delivered, acked, consuming turn starts", stages.Delivery),
            Stage("consuming turn → consume commit landed (CONSUMED published)", stages.ConsumeCommit),
            "",
            string.Create(CultureInfo.InvariantCulture,
                $"What limits it, from the figures above: at max load the runtime path kept {Cores(runtimeMax):N2} of the 2 cores busy and the baseline {Cores(baselineMax):N2}."),
            string.Create(CultureInfo.InvariantCulture,
                $"With {Callers * WindowBatches * Batch:N0} inputs in flight, throughput is that window over the latency ({Callers * WindowBatches * Batch:N0} / {runtimeMax.Ms(50) / 1000:N3} s ≈ {Callers * WindowBatches * Batch / Math.Max(0.001, runtimeMax.Ms(50) / 1000):N0}/s):"),
            "the runtime's latency is its commits in sequence (accept, then consume, behind the runs in flight for its runtime),",
            "each one group commit of the one ledger writer thread with an fsync; what the journal costs per input alone is in",
            "[journal](journal.md). When the commits are short the ratio follows the CPU ratio; on a busy machine they stretch.",
            "",
            "Run: `dotnet run -c Release --project bench/Runtime.Bench -- end-to-end [seconds] [grpc|inproc]`",
            "(`BENCH_SQLITE_SYNCHRONOUS=Normal` for the no-fsync setting, `BENCH_ACCEPT_PER_INPUT=1` for one request per input,",
            "`BENCH_RUNTIMES=1` for one caller and one runtime carrying the whole window, `BENCH_RUNS_IN_FLIGHT=n` for the policy).",
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
