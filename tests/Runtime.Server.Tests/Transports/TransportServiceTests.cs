using Google.Rpc;
using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.Core.Errors;
using Runtime.Core.Hosting;
using Runtime.Server.Hosting;

namespace Runtime.Server.Tests.Transports;

/// <summary>TransportService over gRPC against the real server, and the destination checks runtimes get.</summary>
public sealed class TransportServiceTests : ServerWithSinkTests
{
    [Fact]
    public void TransportService_is_listed_as_served()
    {
        Assert.Contains("runtime.v1.TransportService", HostingExtensions.ServedServiceNames);
    }

    [Fact]
    public async Task Create_get_list_close_and_delete_a_destination()
    {
        var created = (await Client.CreateDestinationAsync(Request("orders", (WireKind.Grpc, Sink.GrpcAddress, 0)))).Destination;
        Assert.Equal("orders", created.Name);
        Assert.Equal(WireState.Idle, Assert.Single(created.Wires).State);

        var again = (await Client.CreateDestinationAsync(Request("orders", (WireKind.Grpc, Sink.GrpcAddress, 0)))).Destination;
        Assert.Equal(created.CreateTime, again.CreateTime);

        await Server.Host.CreateRuntimeAsync(new RuntimeSpec { RuntimeId = "r1", Destination = "orders" });
        await Server.Host.AcceptInputAsync("r1", new InputSubmission { Kind = "k", Payload = new byte[] { 1 } });
        await Server.Events.WaitForPhaseAsync("r1", Core.Inputs.InputPhase.Consumed, 1);

        var got = (await Client.GetDestinationAsync(new GetDestinationRequest { Name = "orders" })).Destination;
        var wire = Assert.Single(got.Wires);
        Assert.Equal((WireState.Ready, 1u), (wire.State, got.BoundRuntimes));
        Assert.Equal((1ul, 1ul), (wire.Sent, wire.Acked));

        var listed = await Client.ListDestinationsAsync(new ListDestinationsRequest());
        Assert.Equal("orders", Assert.Single(listed.Destinations).Name);
        Assert.Empty(listed.NextPageToken);

        var closed = await Client.CloseDestinationAsync(new CloseDestinationRequest { Name = "orders" });
        Assert.Equal(1u, closed.ConnectionsClosed);
        Assert.Equal(WireState.Idle, Assert.Single(closed.Destination.Wires).State);

        var inUse = await Assert.ThrowsAsync<RpcException>(() => Client.DeleteDestinationAsync(new DeleteDestinationRequest { Name = "orders" }).ResponseAsync);
        Assert.Equal((StatusCode.FailedPrecondition, "DESTINATION_IN_USE"), (inUse.StatusCode, Info(inUse).Reason));

        await Server.Host.DestroyRuntimeAsync("r1");
        await Client.DeleteDestinationAsync(new DeleteDestinationRequest { Name = "orders" });
        var gone = await Assert.ThrowsAsync<RpcException>(() => Client.GetDestinationAsync(new GetDestinationRequest { Name = "orders" }).ResponseAsync);
        Assert.Equal((StatusCode.NotFound, "DESTINATION_NOT_FOUND"), (gone.StatusCode, Info(gone).Reason));
    }

    [Fact]
    public async Task Bad_wires_are_invalid_argument_naming_each_field()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.CreateDestinationAsync(
            Request("d", (WireKind.Grpc, "ws://127.0.0.1:1/ws", 0), (WireKind.Unspecified, "http://x", 1))).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var fields = error.GetRpcStatus()!.Details.Single(d => d.Is(BadRequest.Descriptor)).Unpack<BadRequest>()
            .FieldViolations.Select(v => v.Field).ToList();
        Assert.Contains("wires[0].address", fields);
        Assert.Contains("wires[1].kind", fields);
    }

    [Fact]
    public async Task A_different_destination_with_a_taken_name_already_exists()
    {
        await Client.CreateDestinationAsync(Request("d", (WireKind.Grpc, Sink.GrpcAddress, 0)));

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.CreateDestinationAsync(
            Request("d", (WireKind.Http, Sink.HttpAddress, 0))).ResponseAsync);

        Assert.Equal((StatusCode.AlreadyExists, "DESTINATION_ALREADY_EXISTS"), (error.StatusCode, Info(error).Reason));
    }

    [Fact]
    public async Task Page_sizes_beyond_the_limit_are_capped()
    {
        var page = await Client.ListDestinationsAsync(new ListDestinationsRequest { PageSize = 5000 });

        Assert.NotNull(page);
        Assert.Equal("", page.NextPageToken);
    }

    [Fact]
    public async Task Runtimes_naming_an_undefined_destination_are_not_found_but_built_in_sinks_need_no_definition()
    {
        var error = await Assert.ThrowsAsync<RuntimeException>(() =>
            Server.Host.CreateRuntimeAsync(new RuntimeSpec { RuntimeId = "r1", Destination = "nowhere" }));
        Assert.Equal((ErrorKind.NotFound, "DESTINATION_NOT_FOUND"), (error.Kind, error.Reason));

        await Server.Host.CreateRuntimeAsync(new RuntimeSpec { RuntimeId = "r2", Destination = "inproc:accept" });
        await Server.Host.AcceptInputAsync("r2", new InputSubmission { Kind = "k", Payload = new byte[] { 1 } });
        await Server.Events.WaitForPhaseAsync("r2", Core.Inputs.InputPhase.Consumed, 1);
    }

    [Fact]
    public async Task An_inproc_wire_names_a_built_in_sink()
    {
        await Client.CreateDestinationAsync(Request("local", (WireKind.Inproc, "accept", 0)));
        await Server.Host.CreateRuntimeAsync(new RuntimeSpec { RuntimeId = "r1", Destination = "local" });

        await Server.Host.AcceptInputAsync("r1", new InputSubmission { Kind = "k", Payload = new byte[] { 1 } });

        await Server.Events.WaitForPhaseAsync("r1", Core.Inputs.InputPhase.Consumed, 1);
        var wire = Assert.Single((await Client.GetDestinationAsync(new GetDestinationRequest { Name = "local" })).Destination.Wires);
        Assert.Equal(1ul, wire.Acked);
    }

    private static CreateDestinationRequest Request(string name, params (WireKind Kind, string Address, int Priority)[] wires)
    {
        var request = new CreateDestinationRequest { Name = name };
        request.Wires.AddRange(wires.Select(w => new Wire { Kind = w.Kind, Address = w.Address, Priority = w.Priority }));
        return request;
    }

    private static ErrorInfo Info(RpcException error) =>
        error.GetRpcStatus()!.Details.Single(d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>();
}
