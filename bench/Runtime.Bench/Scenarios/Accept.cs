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

    // Inputs per AcceptInputStream message in the batch form (`inputs`): one message per batch.
    private const int Batch = 64;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(6);
    private static readonly ByteString Payload = ByteString.CopyFrom(new byte[128]);

    /// <summary>Runs the scenario and writes <c>bench/results/accept.md</c>.</summary>
    public static async Task<int> RunAsync(string resultsDirectory)
    {
        var report = new Report("accept");
        report.Line($"Load average at start (other work shares these cores): {Machine.LoadAverage()}.");
        report.Line($"Payload {Payload.Length} bytes; runtimes without a destination (inputs stay QUEUED: this measures ingest).");
        report.Line($"Unary: {Callers} concurrent callers, {Duration.TotalSeconds:N0} s each. Stream: {Streams} streams, {Window} inputs in flight each, " +
                    $"one input per message or {Batch} per message (the batch form, `inputs`).");
        report.Line(string.Create(CultureInfo.InvariantCulture, $"The per-caller ingest rate limit ({new Runtime.Server.Security.IngestRateOptions().PermitsPerPeriod:N0} inputs/s by default, `Runtime:Security:IngestRate`) is off: this measures the server, not the limit."));
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
            var app = await Servers.StartRuntimeAsync(port, data, new Dictionary<string, string?>
            {
                ["Runtime:Storage:Synchronous"] = synchronous,
                ["Runtime:Security:IngestRate:PermitsPerPeriod"] = "0",
            });
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

                foreach (var batch in new[] { 1, Batch })
                {
                    var bareStream = await StreamAsync(bareDriver, batch);
                    var stream = await StreamAsync(driver, batch);
                    var shape = batch == 1 ? "one input per message" : $"{batch} inputs per message";
                    report.Line(Row($"AcceptInputStream, {shape}, synchronous={synchronous}", stream, bareStream));
                }
            }
            finally
            {
                await app.StopAsync();
                await app.DisposeAsync();
                Directory.Delete(data, recursive: true);
            }
        }

        report.Line("");
        report.Line($"Load average at the end: {Machine.LoadAverage()}.");
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

    /// <summary>
    /// Pipelined streams: each keeps <see cref="Window"/> inputs in flight, <paramref name="batch"/> per message;
    /// latency is send-to-answer of a message, counted once per input it carried.
    /// </summary>
    private static async Task<LoadResult> StreamAsync(RuntimeDriverService.RuntimeDriverServiceClient driver, int batch)
    {
        var histogram = new HdrHistogram.LongHistogram(HdrHistogram.TimeStamp.Minutes(1), 3);
        long answered = 0, errors = 0;
        using var stop = new CancellationTokenSource(Duration);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Streams).Select(async s =>
        {
            using var call = driver.AcceptInputStream();
            var window = new SemaphoreSlim(Window / batch);
            var sentAt = new System.Collections.Concurrent.ConcurrentQueue<long>();
            var reader = Task.Run(async () =>
            {
                await foreach (var response in call.ResponseStream.ReadAllAsync())
                {
                    sentAt.TryDequeue(out var t0);
                    var elapsed = Stopwatch.GetTimestamp() - t0;
                    lock (histogram)
                    {
                        histogram.RecordValueWithCount(elapsed, batch);
                    }

                    var refused = batch == 1
                        ? response.ResultCase == AcceptInputStreamResponse.ResultOneofCase.Accepted ? 0 : 1
                        : batch - response.Results.Count(r => r.ResultCase == AcceptInputStreamResult.ResultOneofCase.Accepted);
                    Interlocked.Add(ref errors, refused);
                    Interlocked.Add(ref answered, batch);
                    window.Release();
                }
            });
            var input = new Input { Kind = "bench", Payload = Payload };
            var request = new AcceptInputStreamRequest { RuntimeId = $"bench-{s}" };
            if (batch == 1)
            {
                request.Input = input;
            }
            else
            {
                request.Inputs.Add(Enumerable.Repeat(input, batch));
            }

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
}
