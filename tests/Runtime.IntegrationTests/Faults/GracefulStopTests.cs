using Google.Rpc;
using Grpc.Core;
using Runtime.Contracts.V1;
using Xunit.Abstractions;

namespace Runtime.IntegrationTests.Faults;

/// <summary>
/// Scenario 4: SIGTERM during load. In-flight accepts are answered or fail with a clean status (never answered
/// ACCEPTED and then lost), open streams end with UNAVAILABLE <c>SERVER_SHUTTING_DOWN</c>, the process exits 0 and a
/// restart on the same volume recovers everything.
/// </summary>
public sealed class GracefulStopTests(FaultFixture fixture, ITestOutputHelper output) : IClassFixture<FaultFixture>
{
    private const string RuntimeId = "graceful";

    // What a client may see from a server that is going away: retry elsewhere or later. Never INTERNAL or UNKNOWN.
    private static readonly StatusCode[] CleanFailures = [StatusCode.Unavailable, StatusCode.Cancelled, StatusCode.DeadlineExceeded];

    [Fact]
    public async Task Sigterm_under_load_answers_or_cleanly_fails_accepts_ends_streams_clearly_and_the_restart_recovers()
    {
        var deployment = fixture.Deployment;
        var api = fixture.Api;
        await api.CreateRuntimeAsync(RuntimeId, destination: "");
        var ledger = new AcceptLedger();

        using var watch = api.Control.WatchRuntimeEvents(new WatchRuntimeEventsRequest { RuntimeIds = { RuntimeId } });
        var watchEnd = DrainAsync(watch.ResponseStream);

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var load = AcceptLoad.RunAsync(api, RuntimeId, "g", ledger, clients: 8, maxPerClient: 100_000, stop.Token);
        await ledger.AcceptedAtLeast(300).WaitAsync(TimeSpan.FromSeconds(60));

        await deployment.Docker.SignalTermAsync(deployment.Server.Container.Id);
        var exitCode = await deployment.Docker.WaitExitAsync(deployment.Server.Container.Id).WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await load.WaitAsync(TimeSpan.FromSeconds(30));
        var streamStatus = await watchEnd.WaitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"{ledger.Accepted.Count} accepted, failures: {string.Join(", ", ledger.Failed.Values.GroupBy(c => c).Select(g => $"{g.Key} x{g.Count()}"))}");

        Assert.Equal(0, exitCode);
        Assert.All(ledger.Failed.Values, code => Assert.Contains(code, CleanFailures));
        Assert.Equal(StatusCode.Unavailable, streamStatus.StatusCode);
        Assert.Equal("SERVER_SHUTTING_DOWN", streamStatus.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);

        await deployment.RestartServerAsync();
        var stored = (await fixture.Api.ListAllInputsAsync(RuntimeId)).ToDictionary(i => i.IdempotencyKey, StringComparer.Ordinal);
        Assert.All(ledger.Accepted, pair =>
        {
            Assert.True(stored.TryGetValue(pair.Key, out var input), $"input {pair.Key} was answered ACCEPTED and then lost");
            Assert.Equal(pair.Value, input!.InputId);
        });
    }

    // Reads the stream to its end and returns how it ended (it must end with an error status, not stay open).
    private static async Task<RpcException> DrainAsync(IAsyncStreamReader<WatchRuntimeEventsResponse> stream)
    {
        try
        {
            while (await stream.MoveNext(CancellationToken.None))
            {
            }
        }
        catch (RpcException e)
        {
            return e;
        }

        return new RpcException(new Grpc.Core.Status(StatusCode.OK, "the stream ended without a status"));
    }
}
