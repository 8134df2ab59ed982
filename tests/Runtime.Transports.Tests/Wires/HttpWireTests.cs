using Runtime.Core.Delivery;
using Runtime.SampleSink;
using Runtime.Transports.Destinations;
using Runtime.Transports.Tests.Support;

namespace Runtime.Transports.Tests.Wires;

public sealed class HttpWireTests : IAsyncLifetime
{
    private SinkServer _sink = null!;
    private TransportHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _sink = await SinkServer.StartAsync();
        _harness = await TransportHarness.StartAsync();
        await _harness.CreateAsync("d", new WireDefinition(WireKind.Http, _sink.HttpAddress));
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task Answer_503_then_200_is_delivered_on_retry_after_Retry_After()
    {
        _sink.Faults.Update(new FaultSettings { Status = 503, StatusCount = 1, RetryAfterSeconds = 2 });

        var first = await _harness.DeliverAsync("d", "in-1");
        Assert.Equal(DeliveryStatus.RetryableFailure, first.Status);
        Assert.Equal(TimeSpan.FromSeconds(2), first.RetryAfter);

        // Too early: held back without another request to the endpoint.
        var early = await _harness.DeliverAsync("d", "in-1");
        Assert.Equal(DeliveryStatus.RetryableFailure, early.Status);
        Assert.Equal(TimeSpan.FromSeconds(2), early.RetryAfter);
        Assert.Equal(1, _sink.Ledger.Snapshot().Connections["http"]);

        _harness.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(DeliveryStatus.Acked, (await _harness.DeliverAsync("d", "in-1")).Status);
        var stats = _sink.Ledger.Snapshot();
        Assert.Equal((1L, 1L, 2L), (stats.Refused, stats.Unique, stats.Connections["http"]));
        var wire = Assert.Single((await _harness.Manager.GetDestinationAsync("d", default)).Wires);
        Assert.Equal((3L, 1L, 2L, WireState.Ready), (wire.Sent, wire.Acked, wire.Failed, wire.State));
    }

    [Fact]
    public async Task Answer_400_is_a_permanent_failure_and_the_wire_stays_ready()
    {
        _sink.Faults.Update(new FaultSettings { Status = 400 });

        var result = await _harness.DeliverAsync("d", "in-1");

        Assert.Equal(DeliveryStatus.PermanentFailure, result.Status);
        Assert.Contains("400", result.Error);
        var wire = Assert.Single((await _harness.Manager.GetDestinationAsync("d", default)).Wires);
        Assert.Equal((WireState.Ready, 1L), (wire.State, wire.Failed));
        Assert.Equal(0, _sink.Ledger.Snapshot().Unique);
    }

    [Fact]
    public async Task Answer_429_is_retryable()
    {
        _sink.Faults.Update(new FaultSettings { Status = 429, StatusCount = 1 });

        Assert.Equal(DeliveryStatus.RetryableFailure, (await _harness.DeliverAsync("d", "in-1")).Status);
        Assert.Equal(DeliveryStatus.Acked, (await _harness.DeliverAsync("d", "in-1")).Status);
    }
}
