using Grpc.Core;
using Runtime.Contracts.V1;

namespace Runtime.SampleSink;

/// <summary>SinkService over gRPC: each Deliver stream answers its deliveries in the order they arrive.</summary>
public sealed class SinkGrpcService(DeliveryProcessor processor, SinkLedger ledger, IHostApplicationLifetime lifetime)
    : SinkService.SinkServiceBase
{
    /// <inheritdoc />
    public override async Task Deliver(
        IAsyncStreamReader<DeliverRequest> requestStream,
        IServerStreamWriter<DeliverResponse> responseStream,
        ServerCallContext context)
    {
        ledger.Opened("grpc");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            // Headers now, so the client sees the stream established before the first delivery.
            await context.WriteResponseHeadersAsync([]);
            while (await requestStream.MoveNext(stop.Token))
            {
                var answer = await processor.ProcessAsync(requestStream.Current, "grpc", stop.Token);
                if (answer.Drop)
                {
                    context.GetHttpContext().Abort();
                    return;
                }

                await responseStream.WriteAsync(answer.Response!, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client went away or the sink is stopping: the stream just ends.
        }
        finally
        {
            ledger.Closed("grpc");
        }
    }
}
