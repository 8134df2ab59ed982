using Google.Protobuf;
using Grpc.Core;
using Runtime.Analytics.Filters;
using Runtime.Contracts.V1;
using Runtime.Core.Errors;
using Runtime.Observation.Filtering;
using Runtime.Observation.Observers;
using Runtime.Observation;
using Runtime.Server.Hosting;
using Runtime.Server.Mapping;

namespace Runtime.Server.Services;

/// <summary>ObservationService over gRPC: maps proto ⇄ domain and delegates to <see cref="ObservationEngine"/>.</summary>
public sealed class ObservationGrpcService(ObservationEngine engine, ShutdownSignal shutdown) : ObservationServiceBinding.ServiceBase
{
    private const uint DefaultPageSize = 100;
    private const uint MaxPageSize = 1_000;

    // Writes between yields: a subscriber's writes complete synchronously while the transport has room, and many
    // streams writing in tight loops starve each other on two cores (measured on 2-core machines).
    private const int YieldEvery = 8;

    /// <inheritdoc />
    public override Task<ListObserversResponse> ListObservers(ListObserversRequest request, ServerCallContext context) =>
        Task.FromResult(ObservationMapping.ToProto(engine.ListObservers(), engine.GetSubscriptionStatistics()));

    /// <inheritdoc />
    public override Task<GetSnapshotResponse> GetSnapshot(GetSnapshotRequest request, ServerCallContext context)
    {
        RequireObserver(request.Observer);
        var filter = FilterExpression.Parse(request.Filter);
        var snapshot = engine.GetSnapshot(request.Observer, filter);
        var failure = engine.GetObserver(request.Observer).GetStatus().LastFailure;
        return Task.FromResult(new GetSnapshotResponse
        {
            Snapshot = snapshot.ToProto(),
            LastFailure = failure?.ToProto(request.Observer),
        });
    }

    /// <inheritdoc />
    public override Task<GetHistoryResponse> GetHistory(GetHistoryRequest request, ServerCallContext context)
    {
        RequireObserver(request.Observer);
        if (request.AfterCycle > long.MaxValue)
        {
            throw Fail.InvalidField("after_cycle", "is too large");
        }

        var filter = FilterExpression.Parse(request.Filter);
        var pageSize = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        var history = engine.GetHistory(request.Observer, (long)request.AfterCycle, (int)pageSize, filter);
        return Task.FromResult(history.ToProto());
    }

    /// <inheritdoc />
    public override Task Subscribe(SubscribeRequest request, IServerStreamWriter<EncodedMessage> responseStream, ServerCallContext context)
    {
        var subscription = request.ToDomain();
        return shutdown.RunStreamAsync(context, async cancellation =>
        {
            var writes = 0;
            await foreach (var message in engine.Subscribe(subscription, cancellation))
            {
                // The call's own token, not the shutdown-linked one (see ShutdownSignal.RunStreamAsync).
                await responseStream.WriteAsync(Encode(message), context.CancellationToken);
                if (++writes % YieldEvery == 0)
                {
                    await Task.Yield();
                }
            }
        });
    }

    /// <summary>The message's SubscribeResponse bytes, serialised once however many streams carry it.</summary>
    private static EncodedMessage Encode(ObservationMessage message) =>
        message.GetOrAddEncoded(() => new EncodedMessage(message.ToResponse().ToByteArray()));

    private static void RequireObserver(string observer)
    {
        if (observer.Length == 0)
        {
            throw Fail.InvalidField("observer", "is required (ListObservers names them)");
        }
    }
}
