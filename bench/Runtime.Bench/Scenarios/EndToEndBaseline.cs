using Grpc.Core;
using Grpc.Net.Client;
using Runtime.Contracts.V1;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// The baseline: a client streaming the same batches straight to the sink over one SinkService.Deliver stream per
/// caller, waiting for each ack (what a client would get with no Runtime in between).
/// </summary>
internal sealed class EndToEndBaseline(GrpcChannel channel, int callers) : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<DeliverRequest, DeliverResponse>[] _streams =
        [.. Enumerable.Range(0, callers).Select(_ => new SinkService.SinkServiceClient(channel).Deliver())];

    /// <summary>Sends one batch on the caller's stream and waits for its ack.</summary>
    public async Task SendAsync(int caller, long iteration, IReadOnlyList<byte[]> payloads)
    {
        var stream = _streams[caller];
        var request = new DeliverRequest
        {
            DeliveryId = (ulong)iteration + 1,
            RuntimeId = $"baseline-{caller}",
            RunId = $"run-{caller}-{iteration}",
            Attempt = 1,
        };
        for (var i = 0; i < payloads.Count; i++)
        {
            request.Items.Add(new DeliveryItem
            {
                InputId = $"b{caller}-{iteration}-{i}",
                Kind = "bench",
                Payload = Google.Protobuf.ByteString.CopyFrom(payloads[i]),
                ContentType = "application/octet-stream",
                PayloadType = PayloadType.RpcReliable,
            });
        }

        await stream.RequestStream.WriteAsync(request);
        if (!await stream.ResponseStream.MoveNext(CancellationToken.None) ||
            stream.ResponseStream.Current.Status != DeliveryAckStatus.Acked)
        {
            throw new InvalidOperationException("the sink did not acknowledge");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var stream in _streams)
        {
            await stream.RequestStream.CompleteAsync();
            stream.Dispose();
        }
    }
}
