using Runtime.Core.Delivery;
using Runtime.SampleSink;
using Runtime.Transports.Destinations;
using Runtime.Transports.Tests.Support;

namespace Runtime.Transports.Tests.Manager;

/// <summary>A sink that goes away and comes back, with the health checker on fake time.</summary>
public sealed class SinkFailureTests : IAsyncLifetime
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

    [Fact]
    public async Task Stopped_sink_fails_in_flight_deliveries_as_retryable_and_a_restart_reconnects_within_two_intervals()
    {
        var address = _sink.GrpcAddress;
        await _harness.CreateAsync("d", new WireDefinition(WireKind.Grpc, address));
        Assert.Equal(DeliveryStatus.Acked, (await _harness.DeliverAsync("d", "in-0")).Status);

        // Deliveries in flight: the sink holds them (latency) when it is stopped.
        _sink.Faults.Update(new FaultSettings { LatencyMs = 60_000 });
        var inFlight = Enumerable.Range(1, 10).Select(i => _harness.DeliverAsync("d", $"in-{i}").AsTask()).ToList();
        await _sink.StopAsync();
        var results = await Task.WhenAll(inFlight).WaitAsync(Bounded.Timeout);

        Assert.All(results, r => Assert.Equal(DeliveryStatus.RetryableFailure, r.Status));
        await _harness.Events.WaitForWireAsync(address, "failed");
        await _harness.WaitForAvailabilityAsync("d", DestinationAvailability.Unavailable);
        var failed = Assert.Single((await _harness.Manager.GetDestinationAsync("d", default)).Wires);
        Assert.Equal(WireState.Failed, failed.State);
        Assert.NotNull(failed.LastError);
        Assert.NotNull(failed.NextRetryTime);
        Assert.Equal(10, failed.Failed);
        Assert.Equal(DeliveryStatus.RetryableFailure, (await _harness.DeliverAsync("d", "in-11")).Status);

        await _sink.RestartAsync();
        _harness.Time.Advance(_harness.Options.HealthCheckInterval);
        _harness.Time.Advance(_harness.Options.HealthCheckInterval);

        await _harness.Events.WaitForWireAsync(address, "reconnected");
        await _harness.WaitForAvailabilityAsync("d", DestinationAvailability.Available);
        Assert.Equal(DeliveryStatus.Acked, (await _harness.DeliverAsync("d", "in-1")).Status);
        Assert.Equal(WireState.Ready, Assert.Single((await _harness.Manager.GetDestinationAsync("d", default)).Wires).State);
    }

    [Fact]
    public async Task With_nothing_listening_the_first_send_fails_retryably_and_backs_off()
    {
        var address = _sink.GrpcAddress;
        await _sink.StopAsync();
        await _harness.CreateAsync("d", new WireDefinition(WireKind.Grpc, address));

        var result = await _harness.DeliverAsync("d", "in-1");

        Assert.Equal(DeliveryStatus.RetryableFailure, result.Status);
        Assert.NotNull(result.RetryAfter);
        var wire = Assert.Single((await _harness.Manager.GetDestinationAsync("d", default)).Wires);
        Assert.Equal((WireState.Failed, 1), (wire.State, wire.ReconnectAttempts));
        Assert.StartsWith("connect failed", wire.LastError);
        Assert.True(wire.NextRetryTime > _harness.Time.GetUtcNow());
        Assert.Equal(DestinationAvailability.Unavailable, _harness.Manager.GetAvailability("d"));

        // Before its retry time a send does not dial again.
        await _harness.DeliverAsync("d", "in-2");
        Assert.Equal(1, (await _harness.Manager.GetDestinationAsync("d", default)).Wires[0].ReconnectAttempts);

        // Each failed health-check dial doubles the wait (within jitter).
        _harness.Time.Advance(_harness.Options.HealthCheckInterval);
        await _harness.Events.WaitForWireAsync(address, "failed", occurrence: 2);
        var second = (await _harness.Manager.GetDestinationAsync("d", default)).Wires[0];
        Assert.Equal(2, second.ReconnectAttempts);
        Assert.True(second.NextRetryTime - _harness.Time.GetUtcNow() > _harness.Options.InitialReconnectBackoff * 1.5);
    }
}
