using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.Server.Tests.Infrastructure;

namespace Runtime.Server.Tests.Crash;

/// <summary>
/// SIGKILL the real server while concurrent clients accept inputs, restart on the same data directory and check that
/// every answered input survived exactly once and every unanswered one is all or nothing.
/// </summary>
public sealed class SigkillCrashTests
{
    private const string RuntimeId = "crash";
    private static readonly TimeSpan LoadTime = TimeSpan.FromMilliseconds(1500);

    [Fact]
    public async Task Inputs_answered_accepted_survive_a_sigkill_exactly_once_and_unanswered_ones_are_never_half_written()
    {
        var data = TempDirectory.Create();
        try
        {
            var sent = new ConcurrentDictionary<string, byte>();
            var accepted = new ConcurrentDictionary<string, string>();
            for (var round = 0; round < 2; round++)
            {
                await using var server = await ServerProcess.StartAsync(data);
                if (round == 0)
                {
                    // Unbound: inputs stay queued, so every one stays listable after the restart.
                    await new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(server.Channel)
                        .CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = RuntimeId });
                }

                using var stop = new CancellationTokenSource();
                var driver = new RuntimeDriverService.RuntimeDriverServiceClient(server.Channel);
                var workers = new[]
                {
                    UnaryAsync(driver, $"r{round}u0", sent, accepted, stop.Token),
                    UnaryAsync(driver, $"r{round}u1", sent, accepted, stop.Token),
                    StreamAsync(driver, $"r{round}s0", sent, accepted, stop.Token),
                    StreamAsync(driver, $"r{round}s1", sent, accepted, stop.Token),
                };
                await Task.Delay(LoadTime);
                await server.KillAsync();
                await stop.CancelAsync();
                await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));
            }

            Assert.NotEmpty(accepted);
            await using (var restarted = await ServerProcess.StartAsync(data))
            {
                var driver = new RuntimeDriverService.RuntimeDriverServiceClient(restarted.Channel);
                foreach (var (key, inputId) in accepted)
                {
                    var state = await driver.GetInputStateAsync(new GetInputStateRequest { RuntimeId = RuntimeId, InputId = inputId }, deadline: Deadline());
                    Assert.Equal(inputId, state.State.InputId);
                }

                foreach (var key in sent.Keys)
                {
                    var again = await driver.AcceptInputAsync(Request(key), deadline: Deadline());
                    if (accepted.TryGetValue(key, out var inputId))
                    {
                        Assert.Equal(AcceptOutcome.Deduplicated, again.Outcome);
                        Assert.Equal(inputId, again.ExistingInputId);
                    }
                    else
                    {
                        Assert.Contains(again.Outcome, new[] { AcceptOutcome.Accepted, AcceptOutcome.Deduplicated });
                    }
                }

                // Every key sent is now present, and no key twice: the ledger holds exactly one input per key.
                Assert.Equal(sent.Count, await CountInputsAsync(driver));
            }
        }
        finally
        {
            TempDirectory.Delete(data);
        }
    }

    // Every call after the restart is bounded: a call that never answers fails the test with its name, not a hang.
    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(30);

    private static AcceptInputRequest Request(string key) => new()
    {
        RuntimeId = RuntimeId,
        Input = new Input { IdempotencyKey = key, Kind = "crash", Payload = ByteString.CopyFromUtf8(key) },
    };

    private static async Task UnaryAsync(RuntimeDriverService.RuntimeDriverServiceClient driver, string worker,
        ConcurrentDictionary<string, byte> sent, ConcurrentDictionary<string, string> accepted, CancellationToken stop)
    {
        for (var n = 0; n < 1_000_000 && !stop.IsCancellationRequested; n++)
        {
            var key = $"{worker}-{n}";
            sent[key] = 0;
            try
            {
                var reply = await driver.AcceptInputAsync(Request(key), deadline: DateTime.UtcNow.AddSeconds(10));
                Assert.Equal(AcceptOutcome.Accepted, reply.Outcome);
                accepted[key] = reply.InputId;
            }
            catch (RpcException)
            {
                return; // The server died under this call: the key stays unanswered.
            }
        }
    }

    private static async Task StreamAsync(RuntimeDriverService.RuntimeDriverServiceClient driver, string worker,
        ConcurrentDictionary<string, byte> sent, ConcurrentDictionary<string, string> accepted, CancellationToken stop)
    {
        using var window = new SemaphoreSlim(64);
        var keys = new ConcurrentDictionary<ulong, string>();
        using var call = driver.AcceptInputStream(deadline: DateTime.UtcNow.AddSeconds(30));
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var reply in call.ResponseStream.ReadAllAsync())
                {
                    Assert.Equal(AcceptOutcome.Accepted, reply.Accepted.Outcome);
                    accepted[keys[reply.CorrelationId]] = reply.Accepted.InputId;
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

                var key = $"{worker}-{n}";
                keys[n] = key;
                sent[key] = 0;
                var request = Request(key);
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

        await reader.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task<int> CountInputsAsync(RuntimeDriverService.RuntimeDriverServiceClient driver)
    {
        var count = 0;
        var token = "";
        for (var page = 0; page < 10_000; page++)
        {
            var reply = await driver.ListInputsAsync(new ListInputsRequest { RuntimeId = RuntimeId, PageSize = 1000, PageToken = token }, deadline: Deadline());
            count += reply.Inputs.Count;
            token = reply.NextPageToken;
            if (token.Length == 0)
            {
                return count;
            }
        }

        throw new InvalidOperationException("ListInputs did not end");
    }
}
