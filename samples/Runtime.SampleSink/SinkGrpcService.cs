using System.Threading.Channels;
using Grpc.Core;
using Runtime.Contracts.V1;

namespace Runtime.SampleSink;

/// <summary>
/// SinkService over gRPC. Each Deliver stream applies its deliveries in arrival order; answers go out from a
/// writer of their own, so a burst of answers is flushed once rather than once per answer.
/// </summary>
public sealed class SinkGrpcService(DeliveryProcessor processor, SinkLedger ledger, IHostApplicationLifetime lifetime)
    : SinkService.SinkServiceBase
{
    private static readonly WriteOptions BufferHint = new(WriteFlags.BufferHint);

    /// <inheritdoc />
    public override async Task Deliver(
        IAsyncStreamReader<DeliverRequest> requestStream,
        IServerStreamWriter<DeliverResponse> responseStream,
        ServerCallContext context)
    {
        ledger.Opened("grpc");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var answers = Channel.CreateUnbounded<DeliverResponse>();
        var writer = WriteAnswersAsync(answers.Reader, responseStream, stop.Token);
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

                answers.Writer.TryWrite(answer.Response!);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client went away or the sink is stopping: the stream just ends.
        }
        finally
        {
            answers.Writer.TryComplete();
            await writer;
            ledger.Closed("grpc");
        }
    }

    private static async Task WriteAnswersAsync(
        ChannelReader<DeliverResponse> answers, IServerStreamWriter<DeliverResponse> stream, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var answer in answers.ReadAllAsync(cancellationToken))
            {
                // Buffer while more answers are waiting; the last of a burst flushes them all.
                stream.WriteOptions = answers.Count > 0 ? BufferHint : null;
                await stream.WriteAsync(answer, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or IOException)
        {
            // The stream is over; the client sees it end and fails its pending deliveries.
        }
    }
}
