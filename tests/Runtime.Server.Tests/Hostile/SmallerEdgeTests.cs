using System.Net;
using System.Net.Http.Headers;
using Google.Rpc;
using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.Server.Tests.Infrastructure;
using Runtime.Server.Tests.Security;

namespace Runtime.Server.Tests.Hostile;

/// <summary>The smaller edges: one rule per kind of request, and an ErrorInfo on answers the framework gives itself.</summary>
public sealed class SmallerEdgeTests(LoopbackServer server) : IClassFixture<LoopbackServer>
{
    [Fact]
    public async Task A_resume_point_for_an_unknown_observer_is_not_found_like_following_it()
    {
        var observation = new ObservationService.ObservationServiceClient(server.Channel);

        var byName = await ObservationErrorAsync(observation, new SubscribeRequest { Observers = { "nope" } });
        var byResume = await ObservationErrorAsync(observation, new SubscribeRequest { AfterCycleByObserver = { ["nope"] = 1 } });

        Assert.Equal((StatusCode.NotFound, "OBSERVER_NOT_FOUND"), (byName.StatusCode, RawCalls.Info(byName).Reason));
        Assert.Equal((StatusCode.NotFound, "OBSERVER_NOT_FOUND"), (byResume.StatusCode, RawCalls.Info(byResume).Reason));
    }

    [Fact]
    public async Task The_largest_receipt_sequence_is_refused_with_the_range_it_must_be_in()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(server.Channel)
            .GetBoundaryReceiptAsync(new GetBoundaryReceiptRequest { RuntimeId = "r", RunId = "run", Sequence = ulong.MaxValue }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains($"between 1 and {long.MaxValue}", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_list_caps_a_page_size_above_its_maximum()
    {
        const uint huge = 1_000_000;
        await new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(server.Channel)
            .CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "paged" });

        // Each answers (capped) rather than refusing.
        await new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(server.Channel).ListRuntimesAsync(new ListRuntimesRequest { PageSize = huge });
        await new RuntimeDriverService.RuntimeDriverServiceClient(server.Channel).ListInputsAsync(new ListInputsRequest { RuntimeId = "paged", PageSize = huge });
        await new TransportService.TransportServiceClient(server.Channel).ListDestinationsAsync(new ListDestinationsRequest { PageSize = huge });
        await new AccessService.AccessServiceClient(server.Channel).ListApiKeysAsync(new ListApiKeysRequest { PageSize = (int)huge });
        await new ObservationService.ObservationServiceClient(server.Channel).GetHistoryAsync(new GetHistoryRequest { Observer = "runtimes", PageSize = huge });
    }

    [Theory]
    [InlineData("runtime.v1.NoSuchService/Nope", MethodType.Unary)]
    [InlineData("runtime.v1.RuntimeDriverService/NoSuchMethod", MethodType.Unary)]
    [InlineData("runtime.v1.SinkService/Deliver", MethodType.DuplexStreaming)]
    public async Task A_method_not_served_is_unimplemented_with_an_error_info(string method, MethodType type)
    {
        var answer = await RawCall.CallAsync(server.Channel, method, type, []);

        Assert.Equal(StatusCode.Unimplemented, answer.Status.StatusCode);
        var info = Assert.Single(MalformedRequestTests.ErrorInfos(answer));
        Assert.Equal(("runtime", "METHOD_NOT_IMPLEMENTED"), (info.Domain, info.Reason));
        Assert.Equal(method, info.Metadata["method"]);
    }

    [Fact]
    public async Task A_request_frame_cut_short_is_a_malformed_request()
    {
        using var client = new HttpClient();
        // A gRPC frame announcing 100 bytes, followed by 3.
        using var content = new ByteArrayContent([0, 0, 0, 0, 100, 0x0A, 0x01, 0x61]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{server.Address}/runtime.v1.RuntimeControlPlaneService/GetRuntime") 
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));

        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        var headers = response.Headers.Concat(response.TrailingHeaders).ToDictionary(h => h.Key, h => h.Value.First());
        Assert.True(headers.ContainsKey("grpc-status"), $"{response.StatusCode} {response.Version}: {string.Join(", ", headers.Select(h => $"{h.Key}={h.Value}"))}");
        Assert.Equal(((int)StatusCode.InvalidArgument).ToString(System.Globalization.CultureInfo.InvariantCulture), headers["grpc-status"]);
        var status = Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(headers["grpc-status-details-bin"]));
        Assert.Equal("MALFORMED_REQUEST", status.GetDetail<ErrorInfo>().Reason);
    }

    private static async Task<RpcException> ObservationErrorAsync(ObservationService.ObservationServiceClient client, SubscribeRequest request)
    {
        using var call = client.Subscribe(request, deadline: DateTime.UtcNow.AddSeconds(20));
        return await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
    }
}
