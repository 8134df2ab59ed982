using Grpc.Core;
using Microsoft.Extensions.Options;
using Runtime.Contracts.V1;
using Runtime.Core.Errors;
using Runtime.Core.Hosting;
using Runtime.Server.Mapping;
using Runtime.Server.Services.Paging;

namespace Runtime.Server.Services;

/// <summary>The control plane over gRPC: maps proto ⇄ domain and delegates to <see cref="IRuntimeHost"/>.</summary>
public sealed partial class RuntimeControlPlaneGrpcService(
    IRuntimeHost host,
    IOptions<RuntimeHostOptions> options,
    TimeProvider time,
    RuntimeEventWatch watch,
    PageBudget budget) : RuntimeControlPlaneServiceBinding.ServiceBase
{
    /// <inheritdoc />
    public override async Task<CreateRuntimeResponse> CreateRuntime(CreateRuntimeRequest request, ServerCallContext context)
    {
        var runtime = await host.CreateRuntimeAsync(request.ToSpec(options.Value.DefaultPolicy), context.CancellationToken);
        return new CreateRuntimeResponse { Runtime = runtime.ToProto(), Created = runtime.Created };
    }

    /// <inheritdoc />
    public override async Task<GetRuntimeResponse> GetRuntime(GetRuntimeRequest request, ServerCallContext context) =>
        new() { Runtime = (await host.GetRuntimeAsync(request.RuntimeId, context.CancellationToken)).ToProto() };

    /// <inheritdoc />
    public override async Task<ListRuntimesResponse> ListRuntimes(ListRuntimesRequest request, ServerCallContext context)
    {
        var query = new RuntimeQuery
        {
            States = request.States.AnyOf((s, field) => s.ToDomain(field), "states"),
            Labels = request.Labels.ToDictionary(),
            IdPrefix = request.RuntimeIdPrefix,
            PageSize = (int)Math.Min(request.PageSize, int.MaxValue),
            PageToken = request.PageToken,
        };
        return await budget.FitAsync(query.PageSize, async size =>
        {
            var page = await host.ListRuntimesAsync(query with { PageSize = size }, context.CancellationToken);
            var response = new ListRuntimesResponse { NextPageToken = page.NextPageToken };
            response.Runtimes.AddRange(page.Runtimes.Select(r => r.ToProto()));
            return response;
        }, r => r.Runtimes);
    }

    /// <inheritdoc />
    public override async Task<RetireRuntimeResponse> RetireRuntime(RetireRuntimeRequest request, ServerCallContext context) =>
        new() { Report = (await host.RetireRuntimeAsync(request.RuntimeId, context.CancellationToken)).ToProto(time.GetUtcNow()) };

    /// <inheritdoc />
    public override async Task<RecycleRuntimeResponse> RecycleRuntime(RecycleRuntimeRequest request, ServerCallContext context) =>
        new() { Report = (await host.RecycleRuntimeAsync(request.RuntimeId, context.CancellationToken)).ToProto(time.GetUtcNow()) };

    /// <inheritdoc />
    public override async Task<ResetRuntimeResponse> ResetRuntime(ResetRuntimeRequest request, ServerCallContext context) =>
        new() { Report = (await host.ResetRuntimeAsync(request.RuntimeId, context.CancellationToken)).ToProto(time.GetUtcNow()) };

    /// <inheritdoc />
    public override async Task<RecoverRuntimeResponse> RecoverRuntime(RecoverRuntimeRequest request, ServerCallContext context) =>
        new() { Report = (await host.RecoverRuntimeAsync(request.RuntimeId, context.CancellationToken)).ToProto(time.GetUtcNow()) };

    /// <inheritdoc />
    public override async Task<DestroyRuntimeResponse> DestroyRuntime(DestroyRuntimeRequest request, ServerCallContext context) =>
        new() { Report = (await host.DestroyRuntimeAsync(request.RuntimeId, context.CancellationToken)).ToProto(time.GetUtcNow()) };

    /// <inheritdoc />
    public override async Task<GetBoundaryReceiptResponse> GetBoundaryReceipt(GetBoundaryReceiptRequest request, ServerCallContext context)
    {
        if (request.Sequence is 0 or > long.MaxValue)
        {
            throw Fail.InvalidField("sequence", $"must be between 1 and {long.MaxValue}");
        }

        var receipt = await host.GetBoundaryReceiptAsync(request.RuntimeId, request.RunId, (long)request.Sequence, context.CancellationToken);
        return new GetBoundaryReceiptResponse { Receipt = receipt.ToProto() };
    }

    /// <inheritdoc />
    public override async Task<PublishEventResponse> PublishEvent(PublishEventRequest request, ServerCallContext context)
    {
        var result = await host.PublishEventAsync(request.RuntimeId, request.ToDomain(), context.CancellationToken);
        return result.ToProto();
    }

    /// <inheritdoc />
    public override Task WatchRuntimeEvents(
        WatchRuntimeEventsRequest request, IServerStreamWriter<EncodedMessage> responseStream, ServerCallContext context) =>
        watch.RunAsync(request, responseStream, context);
}
