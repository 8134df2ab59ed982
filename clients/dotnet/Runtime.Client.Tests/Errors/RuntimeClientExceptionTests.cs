using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Runtime.Client.Errors;
using Runtime.Client.Tests.Infrastructure;
using Runtime.Contracts.V1;

namespace Runtime.Client.Tests.Errors;

/// <summary>Failures arrive typed, with the server's ErrorInfo and BadRequest decoded.</summary>
public sealed class RuntimeClientExceptionTests
{
    [Fact]
    public async Task A_unary_failure_over_the_wire_exposes_reason_metadata_and_bad_fields()
    {
        await using var server = await FakeRuntimeServer.StartAsync();
        server.ControlPlane.CreateRuntimeError = Scripts.RichError(
            StatusCode.InvalidArgument, "INVALID_RUNTIME_ID", "runtime_id 'a b' is not valid", ("runtime_id", "must match [A-Za-z0-9._:-]{1,128}"));
        await using var services = TestClients.Create(server.Address);
        var client = services.GetRequiredService<RuntimeClient>();

        var error = await Assert.ThrowsAsync<RuntimeClientException>(async () =>
            await client.ControlPlane.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "a b" }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("INVALID_RUNTIME_ID", error.Reason);
        Assert.Equal("runtime", error.Domain);
        Assert.Equal("orders", error.Metadata["runtime_id"]);
        var violation = Assert.Single(error.FieldViolations);
        Assert.Equal("runtime_id", violation.Field);
        Assert.Contains("INVALID_RUNTIME_ID", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.RpcStatus);
    }

    [Fact]
    public async Task The_client_built_over_a_channel_translates_errors_too()
    {
        await using var server = await FakeRuntimeServer.StartAsync();
        server.ControlPlane.CreateRuntimeError = Scripts.RichError(StatusCode.AlreadyExists, "RUNTIME_EXISTS", "exists");
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(server.Address);
        var client = RuntimeClient.Create(channel);

        var error = await Assert.ThrowsAsync<RuntimeClientException>(async () =>
            await client.ControlPlane.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "orders" }));

        Assert.Equal("RUNTIME_EXISTS", error.Reason);
        Assert.Empty(error.FieldViolations);
    }

    [Fact]
    public void A_failure_without_details_has_an_empty_reason()
    {
        var error = RuntimeClientException.From(new RpcException(new Status(StatusCode.Unavailable, "connection refused")));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("", error.Reason);
        Assert.Empty(error.Metadata);
        Assert.Null(error.RpcStatus);
    }

    [Fact]
    public void A_malformed_details_trailer_does_not_hide_the_failure()
    {
        var trailers = new Metadata { { "grpc-status-details-bin", new byte[] { 0xff, 0xff, 0xff } } };

        var error = RuntimeClientException.From(new RpcException(new Status(StatusCode.Internal, "boom"), trailers));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Equal("", error.Reason);
    }

    [Fact]
    public void An_in_stream_error_detail_becomes_the_same_exception()
    {
        var detail = new ErrorDetail
        {
            Code = (int)StatusCode.NotFound,
            Reason = "RUNTIME_NOT_FOUND",
            Message = "runtime 'x' does not exist",
            Metadata = { ["runtime_id"] = "x" },
        };

        var error = RuntimeClientException.From(detail);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("RUNTIME_NOT_FOUND", error.Reason);
        Assert.Equal("x", error.Metadata["runtime_id"]);
    }
}
