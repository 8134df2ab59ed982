using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Runtime.Analytics.Pipeline;
using Runtime.Bench.Harness;
using Runtime.Contracts.V1;
using Runtime.Observation.Events;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// Issue 6's goal: end-to-end ingest throughput with all analytics on versus off, in one run, on one real server.
/// Inputs go through AcceptInputStream over gRPC into runtimes delivering to <c>inproc:accept</c> (accept → run →
/// CONSUMED), and a round ends once every accepted input is consumed. Three modes: "all on" (every probe on, a server
/// filter, the grouping trie on three fields and a Parquet recording running), "events only" (every probe on, so the
/// runtime events flow as the observation stream needs them, but no filter and no recording) and "probes off" (no event
/// produced at all). The analytics cost is all on against events only; what the probes save is events only against
/// probes off. Rounds run in triples whose order rotates, so every mode sees the same load and database growth.
/// Writes <c>bench/results/analytics-ingest.md</c>.
/// </summary>
public static class AnalyticsIngest
{
    private const int Runtimes = 16;
    private const int Streams = 4;
    private const int Window = 512;
    private const string Filter = "runtime ^= \"bench-\" and not (phase in (ABANDONED) or latency_ms > 600000)";
    private static readonly ByteString Payload = ByteString.CopyFrom(new byte[256]);

    private static readonly Mode[] Modes = [Mode.ProbesOff, Mode.EventsOnly, Mode.AllOn];

    private static readonly EventCategory[] Categories =
    [
        EventCategory.InputLifecycle, EventCategory.RunLifecycle, EventCategory.RuntimeState,
        EventCategory.Transport, EventCategory.Published,
    ];

    private enum Mode
    {
        ProbesOff,
        EventsOnly,
        AllOn,
    }

    /// <summary>Runs the scenario: <c>analytics-ingest [seconds per round] [triples]</c>.</summary>
    public static async Task<int> RunAsync(string resultsDirectory, string[] args)
    {
        if (args is ["stages", ..])
        {
            return await StagesAsync();
        }

        var duration = TimeSpan.FromSeconds(args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5);
        var pairs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var synchronous = Environment.GetEnvironmentVariable("BENCH_SQLITE_SYNCHRONOUS") ?? "Normal";
        var report = new Report("analytics-ingest");
        var loadAtStart = Machine.LoadAverage();

        var data = Path.Combine(Path.GetTempPath(), "runtime-bench", Guid.NewGuid().ToString("N"));

        // Per-stage CPU first, while nothing else runs in the process.
        var stages = await MeasureStagesAsync(data);
        var port = Ports.Free();
        var app = await Servers.StartRuntimeAsync(port, data, new Dictionary<string, string?> { ["Runtime:Storage:Synchronous"] = synchronous });
        try
        {
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
            var bench = new Bench(channel, app);
            await bench.CreateRuntimesAsync();

            // Warm up every mode for a full round each (JIT tiers, connections, SQLite pages), then measure triples.
            foreach (var mode in Modes)
            {
                await bench.RoundAsync(mode, duration, round: 0);
            }

            var results = new List<Triple>();
            for (var round = 1; round <= pairs; round++)
            {
                var order = Modes.Skip(round % Modes.Length).Concat(Modes.Take(round % Modes.Length)).ToArray();
                var measured = new Dictionary<Mode, RoundResult>();
                foreach (var mode in round % 2 == 0 ? order.Reverse() : order)
                {
                    measured[mode] = await bench.RoundAsync(mode, duration, round);
                }

                var triple = new Triple(measured[Mode.ProbesOff], measured[Mode.EventsOnly], measured[Mode.AllOn]);
                results.Add(triple);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: probes off {triple.Off.PerSecond:N0}/s, events only {triple.Events.PerSecond:N0}/s, all on {triple.On.PerSecond:N0}/s: analytics cost {triple.AnalyticsCost:F1}%, events cost {triple.EventsCost:F1}%"));
            }

            Write(report, results, duration, synchronous, loadAtStart);
            report.Line("");
            report.Line("CPU per event of each analytics stage alone (200,000 events like the ingest's, in the pump's batches of 256; least of passes 4-10): " +
                string.Join(", ", stages.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Stage} {s.NanosPerEvent:N0} ns"))) +
                " (recording: queueing plus the Parquet writer).");
            Console.WriteLine($"written to {report.Save(resultsDirectory)}");
            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary><c>analytics-ingest stages</c>: only the per-stage CPU per event (a quick check while developing; writes no results).</summary>
    private static async Task<int> StagesAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), "runtime-bench", Guid.NewGuid().ToString("N"));
        try
        {
            var stages = await MeasureStagesAsync(data);
            Console.WriteLine(string.Join(", ", stages.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Stage} {s.NanosPerEvent:N0} ns"))));
            return 0;
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>
    /// Each stage's CPU per event: the least of passes 4 to 10 (the first passes bring the JIT to its final tier; other
    /// work on the machine only ever adds CPU, so the least is the closest to the stage's own cost).
    /// </summary>
    private static async Task<IReadOnlyList<(string Stage, double NanosPerEvent)>> MeasureStagesAsync(string data)
    {
        var passes = new List<IReadOnlyList<(string Stage, double NanosPerEvent)>>();
        for (var pass = 0; pass < 10; pass++)
        {
            passes.Add(await AnalyticsConsumerCost.MeasureAsync(Filter, Path.Combine(data, $"cost-{pass}")));
        }

        return [.. passes[0].Select((s, i) => (s.Stage, passes.Skip(3).Min(p => p[i].NanosPerEvent)))];
    }

    private static void Write(Report report, List<Triple> results, TimeSpan duration, string synchronous, string loadAtStart)
    {
        var analyticsCost = Quantiles.Median(results.Select(r => r.AnalyticsCost));
        var eventsCost = Quantiles.Median(results.Select(r => r.EventsCost));
        report.Line("End-to-end ingest with all analytics on versus off, one server, one run.");
        report.Line("");
        report.Line($"Load average at start (other work shares these cores): {loadAtStart}.");
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"Load: {Streams} AcceptInputStream streams over gRPC, {Window} inputs in flight each, {Payload.Length} B payloads, " +
            $"{Runtimes} runtimes delivering to `inproc:accept` (SQLite synchronous={synchronous}). A round accepts for " +
            $"{duration.TotalSeconds:N0} s, then waits until every accepted input is CONSUMED; throughput = consumed / (accept start → last CONSUMED)."));
        report.Line("Modes: **all on**: every probe on, server filter `" + Filter + "`, trie on runtime/kind/phase by count, a Parquet " +
            "recording running. **Events only**: every probe on (the runtime events the observation stream and WatchRuntimeEvents " +
            "serve are produced), no filter, no recording. **Probes off**: every probe off, no event produced at all. Stats and the trie " +
            "have no off switch: they count in both modes with events (their cost, about 0.1 µs per event, is in the stage figures below).");
        report.Line("Analytics cost = all on against events only (the goal); events cost = events only against probes off (what switching every probe off saves). " +
            "Rounds run in triples whose order rotates (and reverses every other triple), so every mode sees the same load and database growth.");
        report.Line("");
        report.Line("| triple | probes off inputs/s | events only | all on | analytics cost | events cost | CPU µs/input off / events / on | gen2 GCs off / events / on | on: events | pump lost | rows recorded | rows dropped |");
        report.Line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var index = 1;
        foreach (var r in results)
        {
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"| {index++} | {r.Off.PerSecond:N0} | {r.Events.PerSecond:N0} | {r.On.PerSecond:N0} | {r.AnalyticsCost:F1}% | {r.EventsCost:F1}% | " +
                $"{r.Off.CpuMicrosPerInput:N0} / {r.Events.CpuMicrosPerInput:N0} / {r.On.CpuMicrosPerInput:N0} | {r.Off.Gen2Collections} / {r.Events.Gen2Collections} / {r.On.Gen2Collections} | " +
                $"{r.On.Events:N0} | {r.On.PumpLost:N0} | {r.On.RowsWritten:N0} | {r.On.RowsDropped:N0} |"));
        }

        report.Line("");
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"Result: median inputs/s probes off {Quantiles.Median(results.Select(r => r.Off.PerSecond)):N0}, events only {Quantiles.Median(results.Select(r => r.Events.PerSecond)):N0}, " +
            $"all on {Quantiles.Median(results.Select(r => r.On.PerSecond)):N0}; median per-triple analytics cost **{analyticsCost:F1}%** (goal ≤ 15%: {(analyticsCost <= 15 ? "met" : "not met")}); " +
            $"producing the events costs {eventsCost:F1}% (what switching every probe off saves)."));
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"CPU per input (server and client processes together), medians: probes off {Quantiles.Median(results.Select(r => r.Off.CpuMicrosPerInput)):N0} µs, " +
            $"events only {Quantiles.Median(results.Select(r => r.Events.CpuMicrosPerInput)):N0} µs, all on {Quantiles.Median(results.Select(r => r.On.CpuMicrosPerInput)):N0} µs."));
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"Allocated per input (server and client together), medians: probes off {Quantiles.Median(results.Select(r => r.Off.AllocatedPerInput)):N0} B, " +
            $"events only {Quantiles.Median(results.Select(r => r.Events.AllocatedPerInput)):N0} B, all on {Quantiles.Median(results.Select(r => r.On.AllocatedPerInput)):N0} B. " +
            $"Probes-off rounds produced {results.Sum(r => r.Off.Events):N0} events."));
        report.Line($"Load average at the end: {Machine.LoadAverage()}; {Environment.ProcessorCount} cores.");
        report.Line("");
        report.Line("Run: `dotnet run -c Release --project bench/Runtime.Bench -- analytics-ingest [seconds per round] [triples]` (defaults 5 s, 5 triples).");
    }

    private sealed record Triple(RoundResult Off, RoundResult Events, RoundResult On)
    {
        /// <summary>Throughput lost by turning the analytics on while the events flow anyway.</summary>
        public double AnalyticsCost => Cost(Events.PerSecond, On.PerSecond);

        /// <summary>Throughput lost by producing the events at all (every probe on against every probe off).</summary>
        public double EventsCost => Cost(Off.PerSecond, Events.PerSecond);
    }

    private static double Cost(double off, double on) => (1 - (on / off)) * 100;

    private sealed record RoundResult(
        long Inputs, TimeSpan Elapsed, TimeSpan Cpu, long Events, long PumpLost, long RowsWritten, long RowsDropped, long Allocated, int Gen2Collections)
    {
        /// <summary>Bytes allocated (server and client together) per input.</summary>
        public double AllocatedPerInput => (double)Allocated / Math.Max(1, Inputs);

        public double PerSecond => Inputs / Elapsed.TotalSeconds;

        /// <summary>Process CPU (server and client together) per input, in microseconds: steadier than throughput on a busy machine.</summary>
        public double CpuMicrosPerInput => Cpu.TotalMicroseconds / Math.Max(1, Inputs);
    }

    /// <summary>The clients of one server and the switches between the modes.</summary>
    private sealed class Bench(GrpcChannel channel, WebApplication app)
    {
        private readonly RuntimeControlPlaneService.RuntimeControlPlaneServiceClient _control = new(channel);
        private readonly RuntimeDriverService.RuntimeDriverServiceClient _driver = new(channel);
        private readonly AnalyticsService.AnalyticsServiceClient _analytics = new(channel);
        private readonly EventStream _stream = app.Services.GetRequiredService<EventStream>();
        private readonly AnalyticsPump _pump = app.Services.GetRequiredService<AnalyticsPump>();

        public async Task CreateRuntimesAsync()
        {
            for (var r = 0; r < Runtimes; r++)
            {
                var request = new CreateRuntimeRequest { RuntimeId = $"bench-{r}", Destination = "inproc:accept" };
                request.Labels["tenant"] = $"t{r % 4}";
                await _control.CreateRuntimeAsync(request);
            }
        }

        public async Task<RoundResult> RoundAsync(Mode mode, TimeSpan duration, int round)
        {
            await SwitchAsync(mode, round);
            var eventsBefore = _stream.LastSequence;
            var lostBefore = _pump.EventsLost;
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes();
            var gen2Before = GC.CollectionCount(2);
            var watch = Stopwatch.StartNew();
            var accepted = await AcceptAsync(duration);
            await DrainAsync();
            var elapsed = watch.Elapsed;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
            var gen2 = GC.CollectionCount(2) - gen2Before;
            var events = _stream.LastSequence - eventsBefore;
            long written = 0, dropped = 0;
            if (mode == Mode.AllOn)
            {
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await _pump.WhenProcessedAsync(_stream.LastSequence, patience.Token);
                var status = (await _analytics.StopRecordingAsync(new StopRecordingRequest())).Status;
                (written, dropped) = ((long)status.RowsWritten, (long)status.RowsDropped);
            }

            return new RoundResult(accepted, elapsed, cpu, events, _pump.EventsLost - lostBefore, written, dropped, allocated, gen2);
        }

        private async Task SwitchAsync(Mode mode, int round)
        {
            foreach (var category in Categories)
            {
                await _analytics.SetProbeAsync(new SetProbeRequest { Category = category, Enabled = mode != Mode.ProbesOff });
            }

            if (mode == Mode.AllOn)
            {
                await _analytics.SetFilterAsync(new SetFilterRequest { Filter = Filter });
                var trie = new ConfigureTrieRequest { Weight = TrieWeight.Count };
                trie.Fields.Add(["runtime", "kind", "phase"]);
                await _analytics.ConfigureTrieAsync(trie);
                await _analytics.StartRecordingAsync(new StartRecordingRequest { Name = $"bench-{round}-{Guid.NewGuid():N}" });
            }
            else
            {
                await _analytics.SetFilterAsync(new SetFilterRequest { Filter = "" });
            }
        }

        /// <summary>Pipelined streams, each keeping <see cref="Window"/> accepts in flight; returns the inputs accepted.</summary>
        private async Task<long> AcceptAsync(TimeSpan duration)
        {
            long accepted = 0;
            using var stop = new CancellationTokenSource(duration);
            await Task.WhenAll(Enumerable.Range(0, Streams).Select(async s =>
            {
                using var call = _driver.AcceptInputStream();
                using var window = new SemaphoreSlim(Window);
                var reader = Task.Run(async () =>
                {
                    await foreach (var response in call.ResponseStream.ReadAllAsync())
                    {
                        if (response.ResultCase != AcceptInputStreamResponse.ResultOneofCase.Accepted)
                        {
                            throw new InvalidOperationException($"accept refused: {response.Error}");
                        }

                        Interlocked.Increment(ref accepted);
                        window.Release();
                    }
                });
                for (var i = s; !stop.IsCancellationRequested; i += Streams)
                {
                    await window.WaitAsync();
                    await call.RequestStream.WriteAsync(new AcceptInputStreamRequest
                    {
                        RuntimeId = $"bench-{i % Runtimes}",
                        Input = new Input { Kind = "bench", Payload = Payload },
                    });
                }

                await call.RequestStream.CompleteAsync();
                await reader;
            }));
            return accepted;
        }

        /// <summary>Waits (bounded) until no runtime has an input queued or in flight.</summary>
        private async Task DrainAsync()
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(120))
            {
                var pending = 0UL;
                for (var r = 0; r < Runtimes; r++)
                {
                    var runtime = (await _control.GetRuntimeAsync(new GetRuntimeRequest { RuntimeId = $"bench-{r}" })).Runtime;
                    pending += (ulong)runtime.PhaseCounts.Where(c => c.Phase is >= InputPhase.Accepted and <= InputPhase.AppliedPendingConsumption).Sum(c => (long)c.Count);
                }

                if (pending == 0)
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20));
            }

            throw new TimeoutException("the runtimes did not consume every accepted input within 120 s");
        }
    }
}
