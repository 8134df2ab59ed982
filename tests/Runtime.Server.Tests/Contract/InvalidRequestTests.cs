using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.Server.Hosting;
using Runtime.Server.Tests.Infrastructure;

namespace Runtime.Server.Tests.Contract;

/// <summary>
/// Every served RPC answers a malformed request with INVALID_ARGUMENT, one ErrorInfo (domain <c>runtime</c>) and a
/// BadRequest naming the field. A newly served RPC without a case here fails <see cref="Every_served_method_has_a_case"/>.
/// </summary>
public sealed class InvalidRequestTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private const string Driver = "runtime.v1.RuntimeDriverService/";
    private const string Control = "runtime.v1.RuntimeControlPlaneService/";
    private const string Transport = "runtime.v1.TransportService/";
    private const string Observation = "runtime.v1.ObservationService/";
    private const string Analytics = "runtime.v1.AnalyticsService/";

    /// <summary>One malformed request per RPC and the field its BadRequest must name.</summary>
    private static readonly Dictionary<string, (IMessage Request, string Field)> Cases = new()
    {
        [Driver + "AcceptInput"] = (new AcceptInputRequest { Input = new Input() }, "runtime_id"),
        [Driver + "AcceptInputStream"] = (new AcceptInputStreamRequest { RuntimeId = "r1" }, "input"),
        [Driver + "GetInputState"] = (new GetInputStateRequest { RuntimeId = "r1" }, "input_id"),
        [Driver + "ListInputs"] = (new ListInputsRequest { RuntimeId = "bad id!" }, "runtime_id"),
        [Driver + "GetRuntimeState"] = (new GetRuntimeStateRequest(), "runtime_id"),
        [Control + "CreateRuntime"] = (new CreateRuntimeRequest { RuntimeId = "x".PadRight(129, 'x') }, "runtime_id"),
        [Control + "GetRuntime"] = (new GetRuntimeRequest(), "runtime_id"),
        [Control + "ListRuntimes"] = (new ListRuntimesRequest { PageToken = "not-a-token" }, "page_token"),
        [Control + "RetireRuntime"] = (new RetireRuntimeRequest(), "runtime_id"),
        [Control + "RecycleRuntime"] = (new RecycleRuntimeRequest(), "runtime_id"),
        [Control + "ResetRuntime"] = (new ResetRuntimeRequest(), "runtime_id"),
        [Control + "RecoverRuntime"] = (new RecoverRuntimeRequest(), "runtime_id"),
        [Control + "DestroyRuntime"] = (new DestroyRuntimeRequest(), "runtime_id"),
        [Control + "GetBoundaryReceipt"] = (new GetBoundaryReceiptRequest { RuntimeId = "r1", RunId = "run" }, "sequence"),
        [Control + "PublishEvent"] = (new PublishEventRequest { RuntimeId = "r1" }, "event"),
        [Control + "WatchRuntimeEvents"] = (new WatchRuntimeEventsRequest { RuntimeIds = { "bad id!" } }, "runtime_ids[0]"),
        [Transport + "CreateDestination"] = (new CreateDestinationRequest { Name = "d1" }, "wires"),
        [Transport + "GetDestination"] = (new GetDestinationRequest(), "name"),
        [Transport + "ListDestinations"] = (new ListDestinationsRequest { PageToken = "not-a-token" }, "page_token"),
        [Transport + "CloseDestination"] = (new CloseDestinationRequest(), "name"),
        [Transport + "DeleteDestination"] = (new DeleteDestinationRequest(), "name"),
        [Observation + "GetSnapshot"] = (new GetSnapshotRequest(), "observer"),
        [Observation + "GetHistory"] = (new GetHistoryRequest(), "observer"),
        [Analytics + "SetFilter"] = (new SetFilterRequest { Filter = "latency_ms > " }, "filter"),
        [Analytics + "ConfigureTrie"] = (new ConfigureTrieRequest { Fields = { "colour" } }, "fields[0]"),
        [Analytics + "SetProbe"] = (new SetProbeRequest(), "category"),
        [Analytics + "StartRecording"] = (new StartRecordingRequest { Name = "../escape" }, "name"),
        [Observation + "Subscribe"] = (new SubscribeRequest { MaxDuration = new Google.Protobuf.WellKnownTypes.Duration { Seconds = -1 } }, "max_duration"),
    };

    /// <summary>RPCs whose every field is optional: an empty request is valid, so they have no malformed case.</summary>
    private static readonly HashSet<string> NothingToMalform =
    [
        Observation + "ListObservers",
        Analytics + "GetStats",
        Analytics + "GetTrie",
        Analytics + "ResetTrie",
        Analytics + "GetFilter",
        Analytics + "ListProbes",
        Analytics + "StopRecording",
        Analytics + "GetRecordingStatus",
    ];

    /// <summary>The cases of the services this host serves.</summary>
    public static TheoryData<string> ServedCases()
    {
        var data = new TheoryData<string>();
        foreach (var method in Cases.Keys.Where(m => HostingExtensions.ServedServiceNames.Contains(m.Split('/')[0])))
        {
            data.Add(method);
        }

        return data;
    }

    [Fact]
    public void Every_served_method_has_a_case()
    {
        var missing = HostingExtensions.ServedServiceNames
            .SelectMany(name => ContractDescriptors.Services[name].Methods)
            .Select(m => $"{m.Service.FullName}/{m.Name}")
            .Where(m => !Cases.ContainsKey(m) && !NothingToMalform.Contains(m))
            .ToList();

        Assert.Empty(missing);
        Assert.NotEmpty(HostingExtensions.ServedServiceNames);
    }

    [Theory]
    [MemberData(nameof(ServedCases))]
    public async Task Malformed_request_answers_invalid_argument_naming_the_field(string method)
    {
        var (request, field) = Cases[method];

        var (response, error) = await DynamicCall.FirstAnswerAsync(server.Channel.CreateCallInvoker(), ContractDescriptors.Methods[method], request);

        if (response is AcceptInputStreamResponse streamed)
        {
            // The bidirectional accept stream answers a bad item in its response and goes on.
            Assert.Equal((int)StatusCode.InvalidArgument, streamed.Error.Code);
            Assert.Contains(streamed.Error.FieldViolations, v => v.Field == field);
            return;
        }

        Assert.NotNull(error);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var status = error.GetRpcStatus()!;
        var info = Assert.Single(status.Details, d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>();
        Assert.Equal("runtime", info.Domain);
        Assert.Matches("^[A-Z][A-Z0-9_]*$", info.Reason);
        var badRequest = Assert.Single(status.Details, d => d.Is(BadRequest.Descriptor)).Unpack<BadRequest>();
        Assert.Contains(badRequest.FieldViolations, v => v.Field == field);
    }
}
