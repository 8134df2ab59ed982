using System.Net;
using System.Net.Http.Json;
using Runtime.Core.Delivery;
using Runtime.SampleSink;
using Runtime.Transports.Destinations;
using Runtime.Transports.Tests.Support;

namespace Runtime.Transports.Tests.SampleSink;

/// <summary>The sample sink's own endpoints: stats, faults, and the drop-connection fault seen from a wire.</summary>
public sealed class SampleSinkTests : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private SinkServer _sink = null!;
    private TransportHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _sink = await SinkServer.StartAsync();
        _harness = await TransportHarness.StartAsync();
        _http.BaseAddress = new Uri(_sink.GrpcAddress);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _harness.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task Faults_are_set_over_http_and_stats_report_what_arrived()
    {
        var set = await _http.PostAsJsonAsync("/faults", new FaultSettings { Status = 400, StatusCount = 1 });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(400, (await _http.GetFromJsonAsync<FaultSettings>("/faults"))!.Status);
        await _harness.CreateAsync("d", new WireDefinition(WireKind.WebSocket, _sink.WebSocketAddress));

        Assert.Equal(DeliveryStatus.PermanentFailure, (await _harness.DeliverAsync("d", "in-1")).Status);
        Assert.Equal(DeliveryStatus.Acked, (await _harness.DeliverAsync("d", "in-1")).Status);

        var stats = await _http.GetFromJsonAsync<SinkStats>("/stats");
        Assert.NotNull(stats);
        Assert.Equal((1L, 1L, 1L), (stats.Refused, stats.Deliveries, stats.Unique));
        Assert.Equal(["in-1"], stats.Runtimes["rt-1"].Order);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync("/stats")).StatusCode);
        Assert.Equal(0, (await _http.GetFromJsonAsync<SinkStats>("/stats"))!.Received);
    }

    [Fact]
    public async Task A_dropped_connection_fails_the_wire_and_the_redelivery_is_counted_as_a_duplicate()
    {
        var address = _sink.GrpcAddress;
        await _harness.CreateAsync("d", new WireDefinition(WireKind.Grpc, address));
        _sink.Faults.Update(new FaultSettings { DropNext = 1 });

        var lost = await _harness.DeliverAsync("d", "in-1");

        Assert.Equal(DeliveryStatus.RetryableFailure, lost.Status);
        var failed = await _harness.Events.WaitForWireAsync(address, "failed");
        Assert.Equal("FAILED", failed.Attributes!["state"]);
        Assert.False(string.IsNullOrEmpty(failed.Attributes["error"]));

        _harness.Time.Advance(_harness.Options.HealthCheckInterval);
        await _harness.Events.WaitForWireAsync(address, "reconnected");
        Assert.Equal(DeliveryStatus.Acked, (await _harness.DeliverAsync("d", "in-1")).Status);
        var stats = _sink.Ledger.Snapshot();
        Assert.Equal((1L, 1L, 1L, 2L), (stats.Unique, stats.Duplicates, stats.Dropped, stats.Connections["grpc"]));
    }

    [Fact]
    public async Task A_plain_get_on_the_websocket_path_is_refused()
    {
        var response = await _http.GetAsync("/ws");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
