using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.Server.Tests.Infrastructure;
using Runtime.Server.Tests.Transports;

namespace Runtime.Server.Tests.Crash;

/// <summary>
/// SIGKILL the real server while several runtimes deliver to a real sink with runs in flight (pipelined and not),
/// under concurrent streamed and unary accepts with keyed and unkeyed inputs and a watcher following the events.
/// After the restart every answered input exists and deduplicates, reaches the sink at least once, is CONSUMED
/// exactly once in the ledger with a receipt naming it, and every event the watcher saw is served again.
/// </summary>
public sealed class SigkillDeliveryCrashTests
{
    private static readonly TimeSpan LoadTime = TimeSpan.FromMilliseconds(2000);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    // (runtime id, queue mode, runs in flight): FIFO with one run, FIFO pipelined, priority pipelined.
    private static readonly (string Id, QueueMode Mode, uint InFlight)[] Runtimes =
    [
        ("fifo-1", QueueMode.Fifo, 1),
        ("fifo-4", QueueMode.Fifo, 4),
        ("prio-8", QueueMode.Priority, 8),
    ];

    [Fact]
    public async Task Runs_in_flight_at_a_sigkill_end_consumed_exactly_once_with_every_answered_input_delivered()
    {
        var data = TempDirectory.Create();
        await using var sink = await LoopbackSink.StartAsync();
        try
        {
            var sentKeys = new ConcurrentDictionary<string, string>(); // key → runtime
            var accepted = new ConcurrentDictionary<string, string>(); // input id → runtime
            var acceptedKeys = new ConcurrentDictionary<string, string>(); // key → input id
            var seen = new ConcurrentDictionary<ulong, string>();
            await using (var server = await ServerProcess.StartAsync(data))
            {
                await DefineAsync(server, sink);
                using var stop = new CancellationTokenSource();
                var watcher = WatchAsync(server, seen, stop.Token);
                var driver = new RuntimeDriverService.RuntimeDriverServiceClient(server.Channel);
                var workers = new List<Task>();
                for (var w = 0; w < Runtimes.Length; w++)
                {
                    var runtime = Runtimes[w].Id;
                    workers.Add(UnaryAsync(driver, runtime, $"u{w}", keyed: w % 2 == 0, sentKeys, accepted, acceptedKeys, stop.Token));
                    workers.Add(StreamAsync(driver, runtime, $"s{w}", keyed: w % 2 == 1, sentKeys, accepted, acceptedKeys, stop.Token));
                }

                await Task.Delay(LoadTime);
                await server.KillAsync();
                await stop.CancelAsync();
                await Task.WhenAll(workers).WaitAsync(Bound);
                await watcher.WaitAsync(Bound);
            }

            Assert.NotEmpty(accepted);
            Assert.NotEmpty(acceptedKeys);
            Assert.True(seen.Count > 0, "the watcher saw no event before the kill");
            var deliveredBeforeKill = sink.Ledger.Snapshot().Unique;
            Assert.True(deliveredBeforeKill > 0, "nothing was delivered before the kill: no run was in flight");

            await using var restarted = await ServerProcess.StartAsync(data);
            var driverAfter = new RuntimeDriverService.RuntimeDriverServiceClient(restarted.Channel);
            var control = new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(restarted.Channel);

            // Keys answered before the kill deduplicate to the same input; unanswered ones are all or nothing.
            foreach (var (key, runtime) in sentKeys)
            {
                var again = await driverAfter.AcceptInputAsync(Request(runtime, key), deadline: Deadline());
                if (acceptedKeys.TryGetValue(key, out var inputId))
                {
                    Assert.Equal(AcceptOutcome.Deduplicated, again.Outcome);
                    Assert.Equal(inputId, again.ExistingInputId);
                }
                else
                {
                    Assert.Contains(again.Outcome, new[] { AcceptOutcome.Accepted, AcceptOutcome.Deduplicated });
                }
            }

            // Recovery re-runs what was in flight; wait (bounded) until every runtime has nothing live left.
            using var drain = new CancellationTokenSource(Bound);
            foreach (var (id, _, _) in Runtimes)
            {
                while ((await ListAsync(driverAfter, id, LivePhases)).Count > 0)
                {
                    await Task.Delay(100, drain.Token);
                }
            }

            var stats = sink.Ledger.Snapshot();
            foreach (var (runtime, _, _) in Runtimes)
            {
                var inputs = await ListAsync(driverAfter, runtime, []);
                Assert.All(inputs, i => Assert.Equal(InputPhase.Consumed, i.Phase));
                var delivered = stats.Runtimes[runtime];
                Assert.Equal(delivered.Unique, delivered.Order.Count); // the sink kept every id
                // The sink saw exactly the ledger's inputs: nothing lost, nothing invented.
                Assert.Equal(inputs.Select(i => i.InputId).Order(StringComparer.Ordinal), delivered.Order.Order(StringComparer.Ordinal));
                var answered = accepted.Where(a => a.Value == runtime).Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
                Assert.Subset(inputs.Select(i => i.InputId).ToHashSet(StringComparer.Ordinal), answered);
            }

            // Consumed exactly once in each input's own history, with a receipt that names it.
            foreach (var (inputId, runtime) in accepted)
            {
                var state = (await driverAfter.GetInputStateAsync(
                    new GetInputStateRequest { RuntimeId = runtime, InputId = inputId }, deadline: Deadline())).State;
                Assert.Equal(InputPhase.Consumed, state.Phase);
                Assert.Single(state.History, t => t.To == InputPhase.Consumed);
                var receipt = await control.GetBoundaryReceiptAsync(new GetBoundaryReceiptRequest
                {
                    RuntimeId = runtime, RunId = state.LastRunId, Sequence = state.LastBoundarySequence,
                }, deadline: Deadline());
                Assert.Contains(inputId, receipt.Receipt.InputIds);
            }

            // Every event the watcher saw before the kill is served again, same sequence, same content, no gap.
            var last = seen.Keys.Max();
            var replayed = new Dictionary<ulong, string>();
            using (var replay = control.WatchRuntimeEvents(new WatchRuntimeEventsRequest { AfterSequence = 0, MaxEvents = (uint)last },
                       deadline: DateTime.UtcNow.Add(Bound)))
            {
                await foreach (var message in replay.ResponseStream.ReadAllAsync())
                {
                    Assert.NotEqual(WatchRuntimeEventsResponse.MessageOneofCase.Gap, message.MessageCase);
                    foreach (var e in message.Events?.Events ?? [])
                    {
                        replayed[e.Sequence] = Fingerprint(e);
                    }
                }
            }

            Assert.All(seen, s => Assert.Equal(s.Value, replayed[s.Key]));
        }
        finally
        {
            TempDirectory.Delete(data);
        }
    }

    private static readonly InputPhase[] LivePhases =
    [
        InputPhase.Accepted, InputPhase.Queued, InputPhase.Staged, InputPhase.Applied, InputPhase.AppliedPendingConsumption,
    ];

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(30);

    private static async Task DefineAsync(ServerProcess server, LoopbackSink sink)
    {
        var transports = new TransportService.TransportServiceClient(server.Channel);
        await transports.CreateDestinationAsync(new CreateDestinationRequest
        {
            Name = "sink", Wires = { new Wire { Kind = WireKind.Grpc, Address = sink.GrpcAddress } },
        }, deadline: Deadline());
        var control = new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(server.Channel);
        foreach (var (id, mode, inFlight) in Runtimes)
        {
            await control.CreateRuntimeAsync(new CreateRuntimeRequest
            {
                RuntimeId = id,
                Destination = "sink",
                Policy = new RuntimePolicy { QueueMode = mode, MaxRunsInFlight = inFlight, MaxBatchPerRun = 16 },
            }, deadline: Deadline());
        }
    }

    private static AcceptInputRequest Request(string runtime, string? key) => new()
    {
        RuntimeId = runtime,
        Input = new Input { IdempotencyKey = key ?? "", Kind = "crash", Payload = ByteString.CopyFromUtf8(key ?? "unkeyed") },
    };

    private static async Task WatchAsync(ServerProcess server, ConcurrentDictionary<ulong, string> seen, CancellationToken stop)
    {
        var control = new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(server.Channel);
        try
        {
            using var watch = control.WatchRuntimeEvents(new WatchRuntimeEventsRequest { AfterSequence = 0 }, deadline: DateTime.UtcNow.Add(Bound));
            while (await watch.ResponseStream.MoveNext(stop))
            {
                Assert.NotEqual(WatchRuntimeEventsResponse.MessageOneofCase.Gap, watch.ResponseStream.Current.MessageCase);
                foreach (var e in watch.ResponseStream.Current.Events?.Events ?? [])
                {
                    seen[e.Sequence] = Fingerprint(e);
                }
            }
        }
        catch (RpcException)
        {
            // The server died (or the test stopped watching): what was seen stays seen.
        }
    }

    private static string Fingerprint(RuntimeEvent e) =>
        $"{e.Kind}|{e.RuntimeId}|{e.InputId}|{e.RunId}|{e.FromPhase}|{e.ToPhase}|{e.FromState}|{e.ToState}|{e.Attempt}|{e.Reason}|{e.Time}";

    private static async Task UnaryAsync(RuntimeDriverService.RuntimeDriverServiceClient driver, string runtime, string worker, bool keyed,
        ConcurrentDictionary<string, string> sentKeys, ConcurrentDictionary<string, string> accepted,
        ConcurrentDictionary<string, string> acceptedKeys, CancellationToken stop)
    {
        for (var n = 0; n < 1_000_000 && !stop.IsCancellationRequested; n++)
        {
            var key = keyed ? $"{worker}-{n}" : null;
            if (key is not null)
            {
                sentKeys[key] = runtime;
            }

            try
            {
                var reply = await driver.AcceptInputAsync(Request(runtime, key), deadline: Deadline());
                Assert.Equal(AcceptOutcome.Accepted, reply.Outcome);
                accepted[reply.InputId] = runtime;
                if (key is not null)
                {
                    acceptedKeys[key] = reply.InputId;
                }
            }
            catch (RpcException)
            {
                return; // The server died under this call: it stays unanswered.
            }
        }
    }

    private static async Task StreamAsync(RuntimeDriverService.RuntimeDriverServiceClient driver, string runtime, string worker, bool keyed,
        ConcurrentDictionary<string, string> sentKeys, ConcurrentDictionary<string, string> accepted,
        ConcurrentDictionary<string, string> acceptedKeys, CancellationToken stop)
    {
        using var window = new SemaphoreSlim(64);
        var keys = new ConcurrentDictionary<ulong, string?>();
        using var call = driver.AcceptInputStream(deadline: DateTime.UtcNow.Add(Bound));
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var reply in call.ResponseStream.ReadAllAsync())
                {
                    Assert.Equal(AcceptOutcome.Accepted, reply.Accepted.Outcome);
                    accepted[reply.Accepted.InputId] = runtime;
                    if (keys[reply.CorrelationId] is { } key)
                    {
                        acceptedKeys[key] = reply.Accepted.InputId;
                    }

                    window.Release();
                }
            }
            catch (RpcException)
            {
                // The server died: whatever was not answered stays unanswered.
            }
        });

        try
        {
            for (ulong n = 0; n < 1_000_000 && !stop.IsCancellationRequested && !reader.IsCompleted; n++)
            {
                if (!await window.WaitAsync(TimeSpan.FromSeconds(5)))
                {
                    break;
                }

                var key = keyed ? $"{worker}-{n}" : null;
                keys[n] = key;
                if (key is not null)
                {
                    sentKeys[key] = runtime;
                }

                var request = Request(runtime, key);
                await call.RequestStream.WriteAsync(new AcceptInputStreamRequest
                {
                    RuntimeId = request.RuntimeId, Input = request.Input, CorrelationId = n,
                });
            }
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
        {
            // Writing to a dead server.
        }

        await reader.WaitAsync(Bound);
    }

    private static async Task<List<InputState>> ListAsync(RuntimeDriverService.RuntimeDriverServiceClient driver, string runtime, InputPhase[] phases)
    {
        var inputs = new List<InputState>();
        var token = "";
        for (var page = 0; page < 10_000; page++)
        {
            var request = new ListInputsRequest { RuntimeId = runtime, PageSize = 1000, PageToken = token };
            request.Phases.AddRange(phases);
            var reply = await driver.ListInputsAsync(request, deadline: Deadline());
            inputs.AddRange(reply.Inputs);
            token = reply.NextPageToken;
            if (token.Length == 0)
            {
                return inputs;
            }
        }

        throw new InvalidOperationException("ListInputs did not end");
    }
}
