using Runtime.Core.Delivery;
using Runtime.Transports.Destinations;
using Runtime.Transports.Tests.Support;

namespace Runtime.Transports.Tests.Wires;

/// <summary>Every network wire kind delivers to the sample sink over a real loopback socket.</summary>
public sealed class WireKindTests : IAsyncLifetime
{
    private SinkServer _sink = null!;
    private TransportHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _sink = await SinkServer.StartAsync();
        _harness = await TransportHarness.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Theory]
    [InlineData(WireKind.Grpc, "grpc")]
    [InlineData(WireKind.WebSocket, "websocket")]
    [InlineData(WireKind.Http, "http")]
    public async Task Deliveries_are_acked_and_recorded_once_per_input(WireKind kind, string sinkKind)
    {
        var address = kind switch
        {
            WireKind.Grpc => _sink.GrpcAddress,
            WireKind.WebSocket => _sink.WebSocketAddress,
            _ => _sink.HttpAddress,
        };
        await _harness.CreateAsync("d", new WireDefinition(kind, address));

        var results = new List<DeliveryResult>();
        for (var i = 0; i < 5; i++)
        {
            results.Add(await _harness.DeliverAsync("d", $"in-{i}"));
        }

        results.Add(await _harness.DeliverAsync("d", "in-0"));

        Assert.All(results, r => Assert.Equal(DeliveryStatus.Acked, r.Status));
        var stats = _sink.Ledger.Snapshot();
        Assert.Equal((6L, 5L, 1L), (stats.Received, stats.Unique, stats.Duplicates));
        Assert.Equal(["in-0", "in-1", "in-2", "in-3", "in-4"], stats.Runtimes["rt-1"].Order);
        Assert.True(stats.Connections[sinkKind] >= 1);
        var wire = Assert.Single((await _harness.Manager.GetDestinationAsync("d", default)).Wires);
        Assert.Equal((WireState.Ready, 6L, 6L, 0), (wire.State, wire.Sent, wire.Acked, wire.InFlight));
    }

    [Fact]
    public async Task A_hundred_concurrent_first_sends_open_exactly_one_connection_per_wire()
    {
        await _harness.CreateAsync("d",
            new WireDefinition(WireKind.Grpc, _sink.GrpcAddress, 0),
            new WireDefinition(WireKind.WebSocket, _sink.WebSocketAddress, 1));

        using var start = new ManualResetEventSlim();
        var sends = Enumerable.Range(0, 100)
            .Select(i => Task.Run(async () =>
            {
                start.Wait(Bounded.Timeout);
                return await _harness.DeliverAsync("d", $"in-{i}");
            }))
            .ToList();
        start.Set();
        var results = await Task.WhenAll(sends).WaitAsync(Bounded.Timeout);

        Assert.All(results, r => Assert.Equal(DeliveryStatus.Acked, r.Status));
        var stats = _sink.Ledger.Snapshot();
        Assert.Equal(100, stats.Unique);
        Assert.Equal(1, stats.Connections["grpc"]);
        Assert.Equal(1, stats.Connections["websocket"]);
        var wires = (await _harness.Manager.GetDestinationAsync("d", default)).Wires;
        Assert.Equal([WireState.Ready, WireState.Ready], wires.Select(w => w.State));
        Assert.Equal((100L, 0L), (wires[0].Acked, wires[1].Sent));
        Assert.Single(_harness.Events.Events, e =>
            e.Attributes is { } a && a.GetValueOrDefault("wire") == _sink.GrpcAddress && a["change"] == "connected");
    }

    [Fact]
    public async Task Close_drops_the_stream_and_the_next_send_opens_a_new_one()
    {
        await _harness.CreateAsync("d", new WireDefinition(WireKind.Grpc, _sink.GrpcAddress));
        await _harness.DeliverAsync("d", "in-1");

        var closed = await _harness.Manager.CloseDestinationAsync("d", CancellationToken.None);

        Assert.Equal(1, closed.ConnectionsClosed);
        Assert.Equal(DeliveryStatus.Acked, (await _harness.DeliverAsync("d", "in-2")).Status);
        Assert.Equal(2, _sink.Ledger.Snapshot().Connections["grpc"]);
    }
}
