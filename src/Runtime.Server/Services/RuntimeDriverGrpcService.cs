using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.Core.Hosting;
using Runtime.Server.Hosting;
using Runtime.Server.Mapping;
using Runtime.Server.Services.Paging;

namespace Runtime.Server.Services;

/// <summary>The data plane over gRPC: maps proto ⇄ domain and delegates to <see cref="IRuntimeHost"/>.</summary>
public sealed class RuntimeDriverGrpcService(IRuntimeHost host, ShutdownSignal shutdown, PageBudget budget)
    : RuntimeDriverService.RuntimeDriverServiceBase
{
    /// <inheritdoc />
    public override async Task<AcceptInputResponse> AcceptInput(AcceptInputRequest request, ServerCallContext context)
    {
        var input = request.Input.ToSubmission("input");
        var result = await host.AcceptInputAsync(request.RuntimeId, input, context.CancellationToken);
        return result.ToProto();
    }

    /// <inheritdoc />
    public override Task AcceptInputStream(
        IAsyncStreamReader<AcceptInputStreamRequest> requestStream,
        IServerStreamWriter<AcceptInputStreamResponse> responseStream,
        ServerCallContext context) =>
        shutdown.RunStreamAsync(context, token => new AcceptStreamPump(host, requestStream, responseStream, context.CancellationToken).RunAsync(token));

    /// <inheritdoc />
    public override async Task<GetInputStateResponse> GetInputState(GetInputStateRequest request, ServerCallContext context)
    {
        var state = await host.GetInputStateAsync(request.RuntimeId, request.InputId, context.CancellationToken);
        return new GetInputStateResponse { State = state.ToProto(includeHistory: true, includePayload: request.IncludePayload) };
    }

    /// <inheritdoc />
    public override async Task<ListInputsResponse> ListInputs(ListInputsRequest request, ServerCallContext context)
    {
        var query = new InputQuery
        {
            RuntimeId = request.RuntimeId,
            Phases = request.Phases.AnyOf((p, field) => p.ToDomain(field), "phases"),
            PageSize = (int)Math.Min(request.PageSize, int.MaxValue),
            PageToken = request.PageToken,
        };
        return await budget.FitAsync(query.PageSize, async size =>
        {
            var page = await host.ListInputsAsync(query with { PageSize = size }, context.CancellationToken);
            var response = new ListInputsResponse { NextPageToken = page.NextPageToken };
            response.Inputs.AddRange(page.Inputs.Select(i => i.ToProto(includeHistory: false, includePayload: false)));
            return response;
        }, r => r.Inputs);
    }

    /// <inheritdoc />
    public override async Task<GetRuntimeStateResponse> GetRuntimeState(GetRuntimeStateRequest request, ServerCallContext context)
    {
        var status = await host.GetRuntimeStateAsync(request.RuntimeId, context.CancellationToken);
        return status.ToProto();
    }
}
