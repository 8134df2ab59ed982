using Runtime.Core.Delivery;
using Runtime.Transports.Destinations;
using Runtime.Transports.Tests.Support;
using Runtime.Transports.Wires.InProcess;

namespace Runtime.Transports.Tests.Manager;

/// <summary>Lanes, drops and the delivery timeout, against an in-process sink the test holds and releases.</summary>
public sealed class PressureTests : IAsyncLifetime
{
    private readonly GatedSink _sink = new();
    private TransportHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = await TransportHarness.StartAsync(
            o => o.MaxInFlightPerWire = 1,
            new Dictionary<string, IInProcessSink> { ["gated"] = _sink });
        await _harness.CreateAsync("d", new WireDefinition(WireKind.InProcess, "gated"));
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Latency_first_deliveries_are_dropped_and_counted_while_the_wire_is_full()
    {
        var holding = _harness.DeliverAsync("d", "reliable");
        var (_, answer) = await _sink.NextAsync();

        var drops = new List<DeliveryResult>();
        for (var i = 0; i < 5; i++)
        {
            drops.Add(await _harness.DeliverAsync("d", $"latest-{i}", PayloadType.StreamLatencyFirst));
        }

        Assert.All(drops, r => Assert.Equal(DeliveryStatus.Dropped, r.Status));
        answer.SetResult(DeliveryResult.Acked);
        Assert.Equal(DeliveryStatus.Acked, (await holding).Status);
        Assert.Equal(5, Assert.Single((await _harness.Manager.GetDestinationAsync("d", default)).Wires).Dropped);

        // With room on the wire, latency-first goes through.
        var sent = _harness.DeliverAsync("d", "latest-5", PayloadType.StreamLatencyFirst);
        (await _sink.NextAsync()).Answer.SetResult(DeliveryResult.Acked);
        Assert.Equal(DeliveryStatus.Acked, (await sent).Status);
    }

    [Fact]
    public async Task Signals_overtake_queued_reliable_deliveries()
    {
        var holding = _harness.DeliverAsync("d", "first");
        var first = await _sink.NextAsync();
        // On a ready in-process wire, everything up to the wire's gate runs synchronously: when DeliverAsync
        // returns, the delivery is already queued there.
        var reliable = _harness.DeliverAsync("d", "reliable").AsTask();
        var signal = _harness.DeliverAsync("d", "signal", PayloadType.RpcSignal).AsTask();
        Assert.False(reliable.IsCompleted || signal.IsCompleted || _sink.HasArrival);

        first.Answer.SetResult(DeliveryResult.Acked);
        var next = await _sink.NextAsync();
        next.Answer.SetResult(DeliveryResult.Acked);
        var last = await _sink.NextAsync();
        last.Answer.SetResult(DeliveryResult.Acked);

        Assert.Equal(["signal", "reliable"], [next.Run.Items[0].InputId, last.Run.Items[0].InputId]);
        Assert.All(await Task.WhenAll(holding.AsTask(), reliable, signal), r => Assert.Equal(DeliveryStatus.Acked, r.Status));
    }

    [Fact]
    public async Task A_destination_that_never_answers_hits_the_delivery_timeout()
    {
        var pending = _harness.DeliverAsync("d", "in-1").AsTask();
        await _sink.NextAsync();

        _harness.Time.Advance(_harness.Options.DeliveryTimeout);
        var result = await pending.WaitAsync(Bounded.Timeout);

        Assert.Equal(DeliveryStatus.RetryableFailure, result.Status);
        Assert.Contains("delivery timeout", result.Error);
        var wire = Assert.Single((await _harness.Manager.GetDestinationAsync("d", default)).Wires);
        Assert.Equal((1L, 0, WireState.Ready), (wire.Failed, wire.InFlight, wire.State));
    }
}
