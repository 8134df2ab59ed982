using Microsoft.Extensions.DependencyInjection;
using Runtime.Contracts.V1;
using Runtime.Core.Hosting;
using Runtime.Observation.BuiltIn.Transports;
using Runtime.Observation.Observers;
using ObservationEvent = Runtime.Observation.Observers.ObservationEvent;
using Runtime.Server.Hosting;
using InputPhase = Runtime.Core.Inputs.InputPhase;
using ObservedWireState = Runtime.Observation.BuiltIn.Transports.WireState;
using TransportsSnapshot = Runtime.Observation.BuiltIn.Transports.TransportsSnapshot;

namespace Runtime.Server.Tests.Transports;

/// <summary>
/// The <c>transports</c> observer over the server's catalog, which reads the real transport manager: every wire with
/// its kind, address, priority and state, and connected / failed / reconnected / removed as a sink goes down and up.
/// </summary>
public sealed class TransportCatalogTests : ServerWithSinkTests
{
    [Fact]
    public async Task The_transports_observer_follows_every_wire_of_the_transport_manager()
    {
        var catalog = Server.Services.GetRequiredService<ITransportCatalog>();
        Assert.IsType<TransportManagerCatalog>(catalog);
        await DefineAsync("sink", (WireKind.Grpc, Sink.GrpcAddress, 0));
        await DefineAsync("spare", (WireKind.Http, Sink.HttpAddress, 3), (WireKind.Websocket, Sink.WebSocketAddress, 5));
        var observer = new TransportsObserver();
        var state = await observer.InitAsync(await catalog.ListDestinationsAsync(CancellationToken.None), CancellationToken.None);

        var snapshot = (TransportsSnapshot)observer.Snapshot(state);
        Assert.Equal(["sink", "spare"], snapshot.Destinations.Select(d => d.Name));
        Assert.Equal(
            [new WireInfo("http", Sink.HttpAddress, 3, ObservedWireState.Idle), new WireInfo("websocket", Sink.WebSocketAddress, 5, ObservedWireState.Idle)],
            snapshot.Destinations[1].Wires);

        await Server.Host.CreateRuntimeAsync(new RuntimeSpec { RuntimeId = "r1", Destination = "sink" });
        await AcceptAsync(0);
        await Server.Events.WaitForPhaseAsync("r1", InputPhase.Consumed, 1);
        var connected = Assert.IsType<WireConnected>(Assert.Single(await PollAsync(observer, catalog, state)));
        Assert.Equal(new WireInfo("grpc", Sink.GrpcAddress, 0, ObservedWireState.Ready), connected.Wire);

        var mark = Server.Events.Mark();
        await Sink.StopAsync();
        await AcceptAsync(1);
        var failed = await PollUntilAsync<WireFailed>(observer, catalog, state, () =>
        {
            // Each round waits for a FAILED after the previous round's poll.
            var since = mark;
            mark = Server.Events.Mark();
            return Server.Events.WaitForWireAsync("sink", "FAILED", since);
        });
        Assert.NotNull(failed.Wire);
        Assert.Equal(("sink", "grpc", ObservedWireState.Failed), (failed.Destination, failed.Wire.Kind, failed.Wire.State));
        Assert.False(string.IsNullOrEmpty(failed.Wire.LastError));

        mark = Server.Events.Mark();
        await Sink.RestartAsync();
        await Server.Events.WaitForWireAsync("sink", "READY", mark);
        var reconnected = Assert.IsType<WireReconnected>(Assert.Single(await PollAsync(observer, catalog, state)));
        Assert.NotNull(reconnected.Wire);
        Assert.Equal((ObservedWireState.Ready, 1L, null), (reconnected.Wire.State, reconnected.Wire.Reconnects, reconnected.Wire.LastError));

        await Client.DeleteDestinationAsync(new DeleteDestinationRequest { Name = "spare" });
        Assert.Contains(new DestinationRemoved("spare"), await PollAsync(observer, catalog, state));
    }

    private static async Task<IReadOnlyList<ObservationEvent>> PollAsync(
        TransportsObserver observer, ITransportCatalog catalog, TransportsObserver.State state) =>
        await observer.PollAsync(await catalog.ListDestinationsAsync(CancellationToken.None), state, CancellationToken.None);

    /// <summary>
    /// Polls after each <paramref name="next"/> signal until an event of type <typeparamref name="T"/> comes (the
    /// health checker moves a down wire between FAILED and CONNECTING, so one poll may land on either). Bounded.
    /// </summary>
    private static async Task<T> PollUntilAsync<T>(
        TransportsObserver observer, ITransportCatalog catalog, TransportsObserver.State state, Func<Task> next)
        where T : ObservationEvent
    {
        using var deadline = new CancellationTokenSource(EndToEndServer.Timeout);
        while (true)
        {
            await next().WaitAsync(deadline.Token);
            if ((await PollAsync(observer, catalog, state)).OfType<T>().FirstOrDefault() is { } found)
            {
                return found;
            }
        }
    }

    private Task AcceptAsync(int index) => Server.Host.AcceptInputAsync("r1", new InputSubmission
    {
        Kind = "order",
        Payload = BitConverter.GetBytes(index),
        IdempotencyKey = $"r1-{index}",
    });
}
