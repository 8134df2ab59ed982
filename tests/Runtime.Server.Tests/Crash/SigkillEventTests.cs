using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.Server.Tests.Infrastructure;

namespace Runtime.Server.Tests.Crash;

/// <summary>
/// Events are written with the turns that produce them: SIGKILL the real server while a watcher follows
/// WatchRuntimeEvents under load, restart it, and every event the watcher saw is served again from the ledger, with
/// the same sequence and content, and no gap; new events continue above them.
/// </summary>
public sealed class SigkillEventTests
{
    private const string RuntimeId = "events";
    private const int EventsBeforeKill = 600;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_event_a_watcher_saw_before_a_sigkill_is_served_again_after_the_restart()
    {
        var data = TempDirectory.Create();
        try
        {
            var seen = new ConcurrentDictionary<ulong, string>();
            await using (var server = await ServerProcess.StartAsync(data))
            {
                var control = new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(server.Channel);
                await control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = RuntimeId, Destination = "inproc:accept" });
                using var watch = control.WatchRuntimeEvents(new WatchRuntimeEventsRequest { AfterSequence = 0 });
                using var stop = new CancellationTokenSource(Bound);
                var accepting = AcceptUntilStoppedAsync(new RuntimeDriverService.RuntimeDriverServiceClient(server.Channel), stop.Token);

                // Follow until enough events came, then kill the server with accepts and runs still going.
                while (seen.Count < EventsBeforeKill && await watch.ResponseStream.MoveNext(stop.Token))
                {
                    var message = watch.ResponseStream.Current;
                    Assert.NotEqual(WatchRuntimeEventsResponse.MessageOneofCase.Gap, message.MessageCase);
                    foreach (var e in message.Events?.Events ?? [])
                    {
                        seen[e.Sequence] = Fingerprint(e);
                    }
                }

                await server.KillAsync();
                await stop.CancelAsync();
                await accepting;
            }

            Assert.True(seen.Count >= EventsBeforeKill);
            var last = seen.Keys.Max();
            Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (ulong)i), seen.Keys.Order());

            await using var restarted = await ServerProcess.StartAsync(data);
            var client = new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(restarted.Channel);
            var replayed = new Dictionary<ulong, string>();
            using (var replay = client.WatchRuntimeEvents(new WatchRuntimeEventsRequest { AfterSequence = 0, MaxEvents = (uint)last },
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

            // Sequences go on above every one handed out before the kill.
            var driver = new RuntimeDriverService.RuntimeDriverServiceClient(restarted.Channel);
            await driver.AcceptInputAsync(new AcceptInputRequest
            {
                RuntimeId = RuntimeId, Input = new Input { Kind = "after", Payload = ByteString.CopyFromUtf8("after") },
            });
            using var fresh = client.WatchRuntimeEvents(new WatchRuntimeEventsRequest { AfterSequence = last, Kinds = { RuntimeEventKind.InputTransitioned } },
                deadline: DateTime.UtcNow.Add(Bound));
            var next = new List<RuntimeEvent>();
            while (!next.Any(e => e.InputKind == "after") && await fresh.ResponseStream.MoveNext())
            {
                next.AddRange(fresh.ResponseStream.Current.Events?.Events ?? []);
            }

            Assert.All(next, e => Assert.True(e.Sequence > last));
            Assert.Contains(next, e => e.InputKind == "after");
        }
        finally
        {
            TempDirectory.Delete(data);
        }
    }

    private static string Fingerprint(RuntimeEvent e) =>
        $"{e.Kind}|{e.RuntimeId}|{e.InputId}|{e.RunId}|{e.FromPhase}|{e.ToPhase}|{e.FromState}|{e.ToState}|{e.Attempt}|{e.Reason}|{e.Time}";

    private static async Task AcceptUntilStoppedAsync(RuntimeDriverService.RuntimeDriverServiceClient driver, CancellationToken stop)
    {
        for (var n = 0; n < 1_000_000 && !stop.IsCancellationRequested; n++)
        {
            try
            {
                await driver.AcceptInputAsync(new AcceptInputRequest
                {
                    RuntimeId = RuntimeId,
                    Input = new Input { IdempotencyKey = $"k{n}", Kind = "load", Payload = ByteString.CopyFromUtf8($"p{n}") },
                }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: stop);
            }
            catch (RpcException)
            {
                return; // the server died under this call (or the test stopped)
            }
        }
    }
}
