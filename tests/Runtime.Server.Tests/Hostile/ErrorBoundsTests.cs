using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.Server.Errors;
using Runtime.Server.Tests.Infrastructure;

namespace Runtime.Server.Tests.Hostile;

/// <summary>
/// Errors stay small whatever the request: messages, metadata and field violations are bounded (the rest counted),
/// so clients with ordinary header limits read the error instead of failing on its size.
/// </summary>
public sealed class ErrorBoundsTests(LoopbackServer server) : IClassFixture<LoopbackServer>
{
    [Fact]
    public async Task Sixty_four_bad_label_names_give_a_bounded_error_that_counts_what_it_left_out()
    {
        var request = new CreateRuntimeRequest { RuntimeId = "labels-rt" };
        for (var i = 0; i < 64; i++)
        {
            request.Labels[$"bad label {i} {new string('x', 40)}!"] = new string('v', 300);
        }

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(server.Channel).CreateRuntimeAsync(request).ResponseAsync);

        ErrorSize.AssertBounded(error, StatusCode.InvalidArgument);
        var status = error.GetRpcStatus()!;
        var violations = status.GetDetail<BadRequest>().FieldViolations;
        Assert.Equal(ErrorBounds.MaxFieldViolations, violations.Count);
        var omitted = int.Parse(status.GetDetail<ErrorInfo>().Metadata[ErrorBounds.OmittedViolationsKey], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(omitted > 0);
        Assert.Contains($"and {omitted} more field violations", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_thousand_bad_wires_give_a_bounded_error()
    {
        var request = new CreateDestinationRequest { Name = "many-wires" };
        for (var i = 0; i < 1000; i++)
        {
            request.Wires.Add(new Wire { Kind = WireKind.Grpc, Address = $"ftp://host-{i}.invalid/{new string('p', 100)}" });
        }

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new TransportService.TransportServiceClient(server.Channel).CreateDestinationAsync(request).ResponseAsync);

        ErrorSize.AssertBounded(error, StatusCode.InvalidArgument);
    }

    [Fact]
    public async Task A_mebibyte_key_id_is_not_echoed_back_whole()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => new AccessService.AccessServiceClient(server.Channel)
            .RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = new string('k', 1 << 20) }).ResponseAsync);

        ErrorSize.AssertBounded(error, error.StatusCode);
        Assert.NotEqual(StatusCode.Internal, error.StatusCode);
        Assert.NotEqual(StatusCode.Unknown, error.StatusCode);
    }

    [Fact]
    public void Cutting_says_how_much_was_cut_and_never_splits_a_surrogate_pair()
    {
        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", 400));

        var cut = ErrorBounds.Cut(emoji, 100);

        Assert.True(cut.Length <= 100);
        Assert.EndsWith("more characters)", cut, StringComparison.Ordinal);
        Assert.Equal(cut, System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(cut)));
    }
}
