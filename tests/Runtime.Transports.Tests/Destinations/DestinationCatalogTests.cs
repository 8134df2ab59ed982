using Runtime.Core.Delivery;
using Runtime.Core.Errors;
using Runtime.Transports.Destinations;
using Runtime.Transports.Tests.Support;
using Runtime.Transports.Wires.InProcess;

namespace Runtime.Transports.Tests.Destinations;

public sealed class DestinationCatalogTests : IAsyncLifetime
{
    private readonly AcceptSink _accept = new();
    private TransportHarness _harness = null!;

    private static WireDefinition Accept => new(WireKind.InProcess, "accept");

    public async Task InitializeAsync() =>
        _harness = await TransportHarness.StartAsync(sinks: new Dictionary<string, IInProcessSink> { ["accept"] = _accept });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Create_is_idempotent_when_identical_and_refused_when_different()
    {
        var first = await _harness.CreateAsync("d", Accept);
        var again = await _harness.CreateAsync("d", Accept);

        Assert.Equal(first.CreateTime, again.CreateTime);
        var error = await Assert.ThrowsAsync<RuntimeException>(() =>
            _harness.CreateAsync("d", Accept, new WireDefinition(WireKind.Grpc, "http://127.0.0.1:1", 1)));
        Assert.Equal((ErrorKind.AlreadyExists, "DESTINATION_ALREADY_EXISTS"), (error.Kind, error.Reason));
        Assert.Equal("d", error.Metadata["destination"]);
    }

    [Fact]
    public async Task Invalid_create_reports_fields_and_stores_nothing()
    {
        var error = await Assert.ThrowsAsync<RuntimeException>(() =>
            _harness.CreateAsync("d", new WireDefinition(WireKind.InProcess, "nope")));

        Assert.Equal("wires[0].address", Assert.Single(error.Violations).Field);
        Assert.False(_harness.Manager.HasDestination("d"));
        Assert.Equal(DestinationAvailability.Missing, _harness.Manager.GetAvailability("d"));
    }

    [Fact]
    public async Task A_new_destination_is_idle_and_available_until_its_first_send()
    {
        var created = await _harness.CreateAsync("d", Accept);

        Assert.Equal(WireState.Idle, Assert.Single(created.Wires).State);
        Assert.Equal(DestinationAvailability.Available, _harness.Manager.GetAvailability("d"));
        await _harness.WaitForAvailabilityAsync("d", DestinationAvailability.Available);
        await _harness.Events.WaitForAsync(e => e.Destination == "d" && e.Attributes!["change"] == "created");

        Assert.Equal(DeliveryStatus.Acked, (await _harness.DeliverAsync("d", "in-1")).Status);
        var wire = Assert.Single((await _harness.Manager.GetDestinationAsync("d", default)).Wires);
        Assert.Equal((WireState.Ready, 1L, 1L, 0L), (wire.State, wire.Sent, wire.Acked, wire.Failed));
        Assert.Equal(["in-1"], _accept.Received);
    }

    [Fact]
    public async Task Get_of_an_unknown_destination_is_not_found()
    {
        var error = await Assert.ThrowsAsync<RuntimeException>(() => _harness.Manager.GetDestinationAsync("ghost", default));

        Assert.Equal((ErrorKind.NotFound, "DESTINATION_NOT_FOUND"), (error.Kind, error.Reason));
        Assert.Equal("ghost", error.Metadata["destination"]);
    }

    [Fact]
    public async Task List_pages_through_destinations_in_name_order()
    {
        foreach (var name in new[] { "e", "b", "a", "d", "c" })
        {
            await _harness.CreateAsync(name, Accept);
        }

        var names = new List<string>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await _harness.Manager.ListDestinationsAsync(2, token, default);
            names.AddRange(page.Destinations.Select(d => d.Name));
            token = page.NextPageToken;
            pages++;
        }
        while (token != "" && pages < 10);

        Assert.Equal(["a", "b", "c", "d", "e"], names);
        Assert.Equal(3, pages);
        Assert.Equal(5, (await _harness.Manager.ListDestinationsAsync(0, null, default)).Destinations.Count);
    }

    [Fact]
    public async Task A_page_token_not_issued_by_the_service_is_refused()
    {
        var error = await Assert.ThrowsAsync<RuntimeException>(() => _harness.Manager.ListDestinationsAsync(10, "%%%", default));

        Assert.Equal(("INVALID_PAGE_TOKEN", "page_token"), (error.Reason, Assert.Single(error.Violations).Field));
    }

    [Fact]
    public async Task Definitions_survive_a_restart()
    {
        await _harness.CreateAsync("kept", Accept);

        await _harness.RestartManagerAsync();

        Assert.Equal("kept", Assert.Single((await _harness.Manager.ListDestinationsAsync(10, null, default)).Destinations).Name);
        Assert.Equal(DeliveryStatus.Acked, (await _harness.DeliverAsync("kept", "in-1")).Status);
    }

    [Fact]
    public async Task Delete_is_refused_while_a_runtime_is_bound_and_removes_it_otherwise()
    {
        await _harness.CreateAsync("d", Accept);
        _harness.Bound = name => name == "d" ? 2 : 0;

        var error = await Assert.ThrowsAsync<RuntimeException>(() => _harness.Manager.DeleteDestinationAsync("d", CancellationToken.None));
        Assert.Equal((ErrorKind.FailedPrecondition, "DESTINATION_IN_USE", "2"), (error.Kind, error.Reason, error.Metadata["bound_runtimes"]));
        Assert.Equal(2, (await _harness.Manager.GetDestinationAsync("d", default)).BoundRuntimes);

        _harness.Bound = _ => 0;
        await _harness.Manager.DeleteDestinationAsync("d", CancellationToken.None);

        Assert.False(_harness.Manager.HasDestination("d"));
        await _harness.WaitForAvailabilityAsync("d", DestinationAvailability.Missing);
        await _harness.RestartManagerAsync();
        Assert.False(_harness.Manager.HasDestination("d"));
        Assert.Equal(DeliveryStatus.RetryableFailure, (await _harness.DeliverAsync("d", "in-1")).Status);
    }

    [Fact]
    public async Task Close_keeps_the_definition_and_the_next_send_reconnects()
    {
        await _harness.CreateAsync("d", Accept);
        await _harness.DeliverAsync("d", "in-1");

        var closed = await _harness.Manager.CloseDestinationAsync("d", CancellationToken.None);

        Assert.Equal(1, closed.ConnectionsClosed);
        Assert.Equal(WireState.Idle, Assert.Single(closed.Destination.Wires).State);
        Assert.Equal(DeliveryStatus.Acked, (await _harness.DeliverAsync("d", "in-2")).Status);
        Assert.Equal(WireState.Ready, Assert.Single((await _harness.Manager.GetDestinationAsync("d", default)).Wires).State);
        await _harness.Events.WaitForWireAsync("accept", "connected", occurrence: 2);
    }
}
