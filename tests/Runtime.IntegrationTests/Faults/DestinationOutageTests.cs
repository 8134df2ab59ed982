using System.Collections.Concurrent;
using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Runtime.IntegrationTests.Faults;

/// <summary>
/// Scenario 2: the sink container is stopped for longer than several transport health intervals while inputs flow,
/// then started again. Nothing is lost or abandoned, every input is consumed once, and the <c>transports</c>
/// observer shows the failure and the reconnect.
/// </summary>
public sealed class DestinationOutageTests(FaultFixture fixture, ITestOutputHelper output) : IClassFixture<FaultFixture>
{
    private const string RuntimeId = "outage";
    private const string Destination = "sink";

    [Fact]
    public async Task A_sink_outage_loses_and_abandons_nothing_and_the_transports_observer_shows_failure_and_reconnect()
    {
        var deployment = fixture.Deployment;
        var api = fixture.Api;
        await api.CreateSinkDestinationAsync(Destination);
        await api.CreateRuntimeAsync(RuntimeId, Destination, maxAttempts: 1000);

        using var observe = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var transportEvents = new ConcurrentQueue<ObservationEvent>();
        var observing = CollectTransportEventsAsync(api, transportEvents, observe.Token);

        var ledger = new AcceptLedger();
        using var stopLoad = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var load = AcceptLoad.RunAsync(api, RuntimeId, "o", ledger, clients: 4, maxPerClient: 5_000, stopLoad.Token, pace: TimeSpan.FromMilliseconds(20));

        // Deliveries flow, then the sink goes away for several health intervals (seen as re-dial attempts).
        await Eventually.UntilAsync("the sink to receive deliveries", TimeSpan.FromSeconds(60),
            async _ => (await SinkStats.ReadAsync(deployment.Sink!.Address)).InputIds(RuntimeId).Count >= 50);
        await deployment.Sink!.Container.StopAsync();
        await Eventually.UntilAsync("the destination's wire to fail and be re-dialled 3 times", TimeSpan.FromSeconds(60), async _ =>
        {
            var destination = (await api.Transports.GetDestinationAsync(new GetDestinationRequest { Name = Destination })).Destination;
            return destination.Wires.All(w => w.State != WireState.Ready && w.ReconnectAttempts >= 3);
        }, TimeSpan.FromMilliseconds(250));
        var acceptedDuringOutage = ledger.Accepted.Count;

        await deployment.StartSinkAsync();
        await Eventually.UntilAsync("the restarted sink to receive deliveries", TimeSpan.FromSeconds(60),
            async _ => (await SinkStats.ReadAsync(deployment.Sink.Address)).InputIds(RuntimeId).Count >= 50);
        await stopLoad.CancelAsync();
        await load.WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"{ledger.Accepted.Count} accepted ({acceptedDuringOutage} by the time the wire had failed 3 times)");

        // Nothing lost, nothing abandoned, each consumed exactly once.
        await api.WaitAllTerminalAsync(RuntimeId, TimeSpan.FromMinutes(2));
        var inputs = (await api.ListAllInputsAsync(RuntimeId)).ToDictionary(i => i.InputId, StringComparer.Ordinal);
        Assert.All(ledger.Accepted.Values, id => Assert.True(inputs.ContainsKey(id), $"input {id} was answered ACCEPTED and then lost"));
        Assert.All(inputs.Values, input => Assert.Equal(InputPhase.Consumed, input.Phase));
        foreach (var id in inputs.Keys)
        {
            // Lists leave the transition history out; each input's own state has it.
            var state = (await api.Driver.GetInputStateAsync(new GetInputStateRequest { RuntimeId = RuntimeId, InputId = id })).State;
            Assert.Single(state.History, t => t.To == InputPhase.Consumed);
            Assert.DoesNotContain(state.History, t => t.To == InputPhase.Abandoned);
        }
        Assert.Empty(ledger.Failed);

        // The transports observer saw the wire fail and come back.
        await observe.CancelAsync();
        await observing;
        var kinds = transportEvents.Where(e => MentionsDestination(e)).Select(e => e.Kind).ToList();
        output.WriteLine($"transports observer events for {Destination}: {string.Join(", ", kinds)}");
        var failed = kinds.IndexOf("wire_failed");
        Assert.True(failed >= 0, "the transports observer never reported the wire failing");
        Assert.Contains(kinds.Skip(failed + 1), k => k is "wire_reconnected" or "wire_connected");
    }

    private static bool MentionsDestination(ObservationEvent e) =>
        e.Subject.Contains(Destination, StringComparison.Ordinal) || e.Attributes.Values.Contains(Destination);

    // A subscriber on the host: every batch of the transports observer, until cancelled.
    private static async Task CollectTransportEventsAsync(RuntimeApi api, ConcurrentQueue<ObservationEvent> events, CancellationToken stop)
    {
        try
        {
            using var call = api.Observation.Subscribe(new SubscribeRequest { Observers = { "transports" } }, cancellationToken: stop);
            await foreach (var message in call.ResponseStream.ReadAllAsync(stop))
            {
                if (message.MessageCase == SubscribeResponse.MessageOneofCase.Batch)
                {
                    foreach (var e in message.Batch.Events)
                    {
                        events.Enqueue(e);
                    }
                }
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled || stop.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }
}
