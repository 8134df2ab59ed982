using Runtime.Core.Delivery;
using Runtime.Transports.Destinations;
using Runtime.Transports.Tests.Support;

namespace Runtime.Transports.Tests.Manager;

public sealed class FallbackTests : IAsyncLifetime
{
    private SinkServer _grpcSink = null!;
    private SinkServer _webSocketSink = null!;
    private TransportHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _grpcSink = await SinkServer.StartAsync();
        _webSocketSink = await SinkServer.StartAsync();
        _harness = await TransportHarness.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _grpcSink.DisposeAsync();
        await _webSocketSink.DisposeAsync();
    }

    [Fact]
    public async Task With_the_grpc_sink_down_deliveries_continue_on_the_websocket_wire()
    {
        var grpc = _grpcSink.GrpcAddress;
        await _harness.CreateAsync("d",
            new WireDefinition(WireKind.WebSocket, _webSocketSink.WebSocketAddress, 1),
            new WireDefinition(WireKind.Grpc, grpc, 0));
        Assert.Equal(DeliveryStatus.Acked, (await _harness.DeliverAsync("d", "in-0")).Status);
        Assert.Equal(1, _grpcSink.Ledger.Snapshot().Unique);

        await _grpcSink.StopAsync();
        var results = new List<DeliveryResult>();
        for (var i = 1; i <= 20; i++)
        {
            results.Add(await _harness.DeliverAsync("d", $"in-{i}"));
        }

        Assert.All(results, r => Assert.Equal(DeliveryStatus.Acked, r.Status));
        Assert.Equal(20, _webSocketSink.Ledger.Snapshot().Unique);
        await _harness.Events.WaitForWireAsync(grpc, "failed");
        var wires = (await _harness.Manager.GetDestinationAsync("d", default)).Wires;
        Assert.Equal((WireKind.Grpc, WireState.Failed), (wires[0].Wire.Kind, wires[0].State));
        Assert.Equal((WireKind.WebSocket, WireState.Ready, 20L), (wires[1].Wire.Kind, wires[1].State, wires[1].Acked));
        Assert.Equal(DestinationAvailability.Available, _harness.Manager.GetAvailability("d"));
    }
}
