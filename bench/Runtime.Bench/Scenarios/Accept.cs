using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Runtime.Bench.Harness;
using Runtime.Contracts.V1;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// Issue 3's ingest goals: unary AcceptInput with 100 concurrent callers, and pipelined AcceptInputStream with
/// synchronous=FULL and NORMAL, each next to the bare do-nothing driver service measured in the same run.
/// </summary>
public static class Accept
{
    private const int Callers = 100;
    private const int Streams = 4;
    private const int Window = 2000;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(6);
    private static readonly ByteString Payload = ByteString.CopyFrom(new byte[128]);

    /// <summary>Runs the scenario and writes <c>bench/results/accept.md</c>.</summary>
    public static async Task<int> RunAsync(string resultsDirectory)
    {
        var report = new Report("accept");
        report.Line($"Load average at start (other work shares these cores): {LoadAverage()}.");
        report.Line($"Payload {Payload.Length} bytes; runtimes without a destination (inputs stay QUEUED: this measures ingest).");
        report.Line($"Unary: {Callers} concurrent callers, {Duration.TotalSeconds:N0} s each. Stream: {Streams} streams, {Window} in flight each.");
        report.Line("");
        report.Line("| case | Runtime | bare baseline | Runtime / bare |");
        report.Line("|---|---|---|---:|");

        var barePort = Ports.Free();
        await using var bare = await Servers.StartBareAsync(barePort);
        using var bareChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{barePort}");
        var bareDriver = new RuntimeDriverService.RuntimeDriverServiceClient(bareChannel);

        foreach (var synchronous in new[] { "Normal", "Full" })
        {
            var data = Path.Combine(Path.GetTempPath(), "runtime-bench", Guid.NewGuid().ToString("N"));
            var port = Ports.Free();
            var app = await Servers.StartRuntimeAsync(port, data, new Dictionary<string, string?> { ["Runtime:Storage:Synchronous"] = synchronous });
            try
            {
                using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
                var control = new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(channel);
                var driver = new RuntimeDriverService.RuntimeDriverServiceClient(channel);
                for (var r = 0; r < Streams; r++)
                {
                    await control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = $"bench-{r}" });
                }

                if (synchronous == "Normal")
                {
                    var bareUnary = await UnaryAsync(bareDriver);
                    var unary = await UnaryAsync(driver);
                    report.Line(Row($"unary AcceptInput, synchronous={synchronous}", unary, bareUnary));
                }

                var bareStream = await StreamAsync(bareDriver);
                var stream = await StreamAsync(driver);
                report.Line(Row($"AcceptInputStream, synchronous={synchronous}", stream, bareStream));
            }
            finally
            {
                await app.StopAsync();
                await app.DisposeAsync();
                Directory.Delete(data, recursive: true);
            }
        }

        report.Line("");
        report.Line($"Load average at the end: {LoadAverage()}.");
        Console.WriteLine($"written to {report.Save(resultsDirectory)}");
        return 0;
    }

    private static string Row(string name, LoadResult runtime, LoadResult bare) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {runtime.PerSecond:N0}/s, p50 {runtime.Ms(50):N2} ms, p99 {runtime.Ms(99):N2} ms | " +
        $"{bare.PerSecond:N0}/s, p50 {bare.Ms(50):N2} ms, p99 {bare.Ms(99):N2} ms | {runtime.PerSecond / bare.PerSecond:P0} |");

    private static Task<LoadResult> UnaryAsync(RuntimeDriverService.RuntimeDriverServiceClient driver) =>
        Load.ClosedLoopAsync(Callers, Duration, async (caller, i) =>
        {
            var reply = await driver.AcceptInputAsync(new AcceptInputRequest
            {
                RuntimeId = $"bench-{caller % Streams}",
                Input = new Input { Kind = "bench", Payload = Payload },
            });
            if (reply.Outcome != AcceptOutcome.Accepted)
            {
                throw new InvalidOperationException(reply.Reason);
            }
        });

    /// <summary>Pipelined streams: each keeps <see cref="Window"/> accepts in flight; latency is send-to-answer.</summary>
    private static async Task<LoadResult> StreamAsync(RuntimeDriverService.RuntimeDriverServiceClient driver)
    {
        var histogram = new HdrHistogram.LongHistogram(HdrHistogram.TimeStamp.Minutes(1), 3);
        long answered = 0, errors = 0;
        using var stop = new CancellationTokenSource(Duration);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Streams).Select(async s =>
        {
            using var call = driver.AcceptInputStream();
            var window = new SemaphoreSlim(Window);
            var sentAt = new System.Collections.Concurrent.ConcurrentQueue<long>();
            var reader = Task.Run(async () =>
            {
                await foreach (var response in call.ResponseStream.ReadAllAsync())
                {
                    sentAt.TryDequeue(out var t0);
                    lock (histogram)
                    {
                        histogram.RecordValue(Stopwatch.GetTimestamp() - t0);
                    }

                    if (response.ResultCase != AcceptInputStreamResponse.ResultOneofCase.Accepted)
                    {
                        Interlocked.Increment(ref errors);
                    }

                    Interlocked.Increment(ref answered);
                    window.Release();
                }
            });
            var request = new AcceptInputStreamRequest { RuntimeId = $"bench-{s}", Input = new Input { Kind = "bench", Payload = Payload } };
            while (!stop.IsCancellationRequested)
            {
                await window.WaitAsync();
                sentAt.Enqueue(Stopwatch.GetTimestamp());
                await call.RequestStream.WriteAsync(request);
            }

            await call.RequestStream.CompleteAsync();
            await reader;
        }));
        return new LoadResult(answered, watch.Elapsed, histogram, errors);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
