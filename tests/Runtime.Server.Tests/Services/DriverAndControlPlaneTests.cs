using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.Server.Tests.Infrastructure;

namespace Runtime.Server.Tests.Services;

/// <summary>Happy paths of the driver and control-plane services through the in-memory server.</summary>
public sealed class DriverAndControlPlaneTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private readonly RuntimeControlPlaneService.RuntimeControlPlaneServiceClient _control = new(server.Channel);
    private readonly RuntimeDriverService.RuntimeDriverServiceClient _driver = new(server.Channel);

    [Fact]
    public async Task Create_is_idempotent_for_the_same_spec_and_already_exists_for_another()
    {
        var first = await _control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "svc-create", Destination = "inproc:accept" });
        var again = await _control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "svc-create", Destination = "inproc:accept" });
        var other = await Assert.ThrowsAsync<RpcException>(() =>
            _control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "svc-create", Destination = "inproc:fail" }).ResponseAsync);

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(StatusCode.AlreadyExists, other.StatusCode);
    }

    [Fact]
    public async Task Accepted_input_is_consumed_with_a_readable_receipt_and_a_repeat_is_deduplicated()
    {
        await _control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "svc-accept", Destination = "inproc:accept" });

        var accepted = await _driver.AcceptInputAsync(Request("svc-accept", "k1", "one"));
        var state = await WaitForConsumedAsync("svc-accept", accepted.InputId);
        var receipt = await _control.GetBoundaryReceiptAsync(new GetBoundaryReceiptRequest
        {
            RuntimeId = "svc-accept", RunId = state.LastRunId, Sequence = state.LastBoundarySequence,
        });
        var repeat = await _driver.AcceptInputAsync(Request("svc-accept", "k1", "one"));
        var reused = await Assert.ThrowsAsync<RpcException>(() => _driver.AcceptInputAsync(Request("svc-accept", "k1", "two")).ResponseAsync);

        Assert.Equal(AcceptOutcome.Accepted, accepted.Outcome);
        Assert.Contains(accepted.InputId, receipt.Receipt.InputIds);
        Assert.Equal(32, receipt.Receipt.Digest.Length);
        Assert.Equal(AcceptOutcome.Deduplicated, repeat.Outcome);
        Assert.Equal(accepted.InputId, repeat.ExistingInputId);
        Assert.Equal(StatusCode.AlreadyExists, reused.StatusCode);
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", Reason(reused));
    }

    [Fact]
    public async Task The_stream_answers_in_order_and_a_bad_item_in_place()
    {
        await _control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "svc-stream" });
        using var call = _driver.AcceptInputStream();
        for (ulong n = 1; n <= 3; n++)
        {
            var request = Request(n == 2 ? "bad id!" : "svc-stream", $"s{n}", $"p{n}");
            await call.RequestStream.WriteAsync(new AcceptInputStreamRequest { RuntimeId = request.RuntimeId, Input = request.Input, CorrelationId = n });
        }

        await call.RequestStream.CompleteAsync();
        var replies = await call.ResponseStream.ReadAllAsync().ToListAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1UL, 2UL, 3UL], replies.Select(r => r.CorrelationId));
        Assert.Equal(AcceptOutcome.Accepted, replies[0].Accepted.Outcome);
        Assert.Equal(AcceptInputStreamResponse.ResultOneofCase.Error, replies[1].ResultCase);
        Assert.Equal(AcceptOutcome.Accepted, replies[2].Accepted.Outcome);
    }

    [Fact]
    public async Task A_batch_request_is_answered_by_one_response_with_a_result_per_input_in_order()
    {
        await _control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "svc-batch", Destination = "inproc:accept" });
        using var call = _driver.AcceptInputStream();
        var batch = new AcceptInputStreamRequest { RuntimeId = "svc-batch", CorrelationId = 7, Input = Request("svc-batch", "b0", "p0").Input };
        batch.Inputs.Add(Request("svc-batch", "b1", "p1").Input);
        batch.Inputs.Add(new Input { InputId = "bad id!", Kind = "test" }); // refused in place, the others still accepted
        batch.Inputs.Add(Request("svc-batch", "b3", "p3").Input);
        var tooMany = new AcceptInputStreamRequest { RuntimeId = "svc-batch", CorrelationId = 8 };
        tooMany.Inputs.AddRange(Enumerable.Range(0, 2049).Select(i => Request("svc-batch", $"m{i}", "m").Input));
        await call.RequestStream.WriteAsync(batch);
        await call.RequestStream.WriteAsync(tooMany);
        await call.RequestStream.CompleteAsync();
        var replies = await call.ResponseStream.ReadAllAsync().ToListAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([7UL, 8UL], replies.Select(r => r.CorrelationId));
        var results = replies[0].Results;
        Assert.Equal(AcceptInputStreamResponse.ResultOneofCase.None, replies[0].ResultCase);
        Assert.Equal(4, results.Count);
        Assert.Equal(AcceptOutcome.Accepted, results[0].Accepted.Outcome);
        Assert.Equal(AcceptOutcome.Accepted, results[1].Accepted.Outcome);
        Assert.Equal((int)StatusCode.InvalidArgument, results[2].Error.Code);
        Assert.Equal(AcceptOutcome.Accepted, results[3].Accepted.Outcome);
        Assert.Equal((int)StatusCode.InvalidArgument, replies[1].Error.Code);
        Assert.Contains(replies[1].Error.FieldViolations, v => v.Field == "inputs");
        foreach (var accepted in new[] { results[0], results[1], results[3] })
        {
            Assert.Equal(InputPhase.Consumed, (await WaitForConsumedAsync("svc-batch", accepted.Accepted.InputId)).Phase);
        }

        // Accepted in request order: positions follow the batch.
        var ids = new[] { results[0], results[1], results[3] }.Select(r => r.Accepted.InputId).ToList();
        var page = await _driver.ListInputsAsync(new ListInputsRequest { RuntimeId = "svc-batch", PageSize = 10 });
        Assert.Equal(ids, page.Inputs.Select(i => i.InputId).Where(ids.Contains));
    }

    [Fact]
    public async Task Reset_reports_abandoned_inputs_and_retiring_twice_is_idempotent()
    {
        await _control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "svc-life" });
        await _driver.AcceptInputAsync(Request("svc-life", "a", "a"));
        await _driver.AcceptInputAsync(Request("svc-life", "b", "b"));

        var reset = await _control.ResetRuntimeAsync(new ResetRuntimeRequest { RuntimeId = "svc-life" });
        var retired = await _control.RetireRuntimeAsync(new RetireRuntimeRequest { RuntimeId = "svc-life" });
        var again = await _control.RetireRuntimeAsync(new RetireRuntimeRequest { RuntimeId = "svc-life" });

        Assert.Equal(2UL, reset.Report.InputsAbandoned);
        Assert.False(reset.Report.NoOp);
        Assert.Equal(RuntimeState.Stopped, retired.Report.State);
        Assert.False(retired.Report.NoOp);
        Assert.Equal(RuntimeState.Stopped, again.Report.State);
        Assert.Equal(RuntimeState.Stopped, again.Report.PreviousState);
        Assert.True(again.Report.NoOp);
        Assert.Equal(0UL, again.Report.InputsAbandoned);
    }

    [Fact]
    public async Task Lists_match_any_of_several_states_or_phases()
    {
        await _control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "svc-any-0", Destination = "inproc:accept" });
        await _control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "svc-any-1", Destination = "inproc:accept" });
        await _control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "svc-any-2", Destination = "inproc:accept" });
        await _control.RetireRuntimeAsync(new RetireRuntimeRequest { RuntimeId = "svc-any-1" });
        await _control.DestroyRuntimeAsync(new DestroyRuntimeRequest { RuntimeId = "svc-any-2" });
        var accepted = await _driver.AcceptInputAsync(Request("svc-any-0", "k", "p"));
        await WaitForConsumedAsync("svc-any-0", accepted.InputId);

        var runtimes = await _control.ListRuntimesAsync(new ListRuntimesRequest
        {
            RuntimeIdPrefix = "svc-any-", States = { RuntimeState.Stopped, RuntimeState.Destroyed },
        });
        var inputs = await _driver.ListInputsAsync(new ListInputsRequest
        {
            RuntimeId = "svc-any-0", Phases = { InputPhase.Queued, InputPhase.Consumed },
        });
        var unspecified = await Assert.ThrowsAsync<RpcException>(() => _control.ListRuntimesAsync(new ListRuntimesRequest
        {
            States = { RuntimeState.Idle, RuntimeState.Unspecified },
        }).ResponseAsync);

        Assert.Equal(["svc-any-1", "svc-any-2"], runtimes.Runtimes.Select(r => r.RuntimeId));
        Assert.Equal(accepted.InputId, Assert.Single(inputs.Inputs).InputId);
        Assert.Equal(StatusCode.InvalidArgument, unspecified.StatusCode);
    }

    [Fact]
    public async Task Runtimes_and_inputs_page_without_gaps_or_repeats()
    {
        for (var n = 0; n < 5; n++)
        {
            await _control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = $"svc-page-{n}" });
            await _driver.AcceptInputAsync(Request("svc-page-0", $"k{n}", $"p{n}"));
        }

        var runtimes = new List<string>();
        var inputs = new List<string>();
        string token = "", inputToken = "";
        for (var page = 0; page < 10; page++)
        {
            var reply = await _control.ListRuntimesAsync(new ListRuntimesRequest { RuntimeIdPrefix = "svc-page-", PageSize = 2, PageToken = token });
            runtimes.AddRange(reply.Runtimes.Select(r => r.RuntimeId));
            token = reply.NextPageToken;
            var inputReply = await _driver.ListInputsAsync(new ListInputsRequest { RuntimeId = "svc-page-0", PageSize = 2, PageToken = inputToken });
            inputs.AddRange(inputReply.Inputs.Select(i => i.InputId));
            inputToken = inputReply.NextPageToken;
            if (token.Length == 0 && inputToken.Length == 0)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(0, 5).Select(n => $"svc-page-{n}"), runtimes.Order());
        Assert.Equal(5, inputs.Distinct().Count());
        Assert.Equal(5, inputs.Count);
    }

    [Fact]
    public async Task Publishing_completion_of_an_unknown_run_is_not_found()
    {
        await _control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "svc-publish" });

        var error = await Assert.ThrowsAsync<RpcException>(() => _control.PublishEventAsync(new PublishEventRequest
        {
            RuntimeId = "svc-publish", RunCompleted = new RunCompleted { RunId = "no-such-run" },
        }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    private static AcceptInputRequest Request(string runtimeId, string key, string payload) => new()
    {
        RuntimeId = runtimeId,
        Input = new Input { IdempotencyKey = key, Kind = "test", Payload = ByteString.CopyFromUtf8(payload) },
    };

    private static string Reason(RpcException error) =>
        error.GetRpcStatus()!.Details.Single(d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>().Reason;

    private async Task<InputState> WaitForConsumedAsync(string runtimeId, string inputId)
    {
        for (var i = 0; i < 200; i++)
        {
            var state = (await _driver.GetInputStateAsync(new GetInputStateRequest { RuntimeId = runtimeId, InputId = inputId })).State;
            if (state.Phase == InputPhase.Consumed)
            {
                return state;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }

        throw new TimeoutException($"input {inputId} was not consumed");
    }
}
