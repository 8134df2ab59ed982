using Grpc.Core;
using Grpc.Net.Client;
using Runtime.Bench.Harness;
using Runtime.Contracts.V1;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// The baseline: a client streaming the same batches straight to the sink over one SinkService.Deliver stream per
/// caller (what a client would get with no Runtime in between). A reader per stream completes each caller's flow as
/// the acks come back; the flow's window bounds the deliveries in flight, as it bounds the runtime's unconsumed inputs.
/// </summary>
internal sealed class EndToEndBaseline : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<DeliverRequest, DeliverResponse>[] _streams;
    private readonly Task[] _readers;
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..8];
    private long _refused;

    public EndToEndBaseline(GrpcChannel channel, IReadOnlyList<EndToEndFlow> flows, int batch)
    {
        _streams = [.. flows.Select(_ => new SinkService.SinkServiceClient(channel).Deliver())];
        _readers = [.. _streams.Select((s, caller) => ReadAcksAsync(s, flows[caller], batch))];
    }

    /// <summary>Answers that were not an ack.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Sends batch <paramref name="sequence"/> of <paramref name="caller"/> (acked in the background).</summary>
    public async Task SendAsync(int caller, long sequence, IReadOnlyList<Google.Protobuf.ByteString> payloads)
    {
        var request = new DeliverRequest
        {
            DeliveryId = (ulong)sequence + 1,
            RuntimeId = $"baseline-{_prefix}-{caller}",
            RunId = $"run-{_prefix}-{caller}-{sequence}",
            Attempt = 1,
        };
        for (var i = 0; i < payloads.Count; i++)
        {
            request.Items.Add(new DeliveryItem
            {
                InputId = $"b{_prefix}-{caller}-{sequence}-{i}",
                Kind = "bench",
                Payload = payloads[i],
                ContentType = "application/octet-stream",
                PayloadType = PayloadType.RpcReliable,
            });
        }

        await _streams[caller].RequestStream.WriteAsync(request);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => DuplexCalls.CloseAsync(_streams, _readers);

    private async Task ReadAcksAsync(AsyncDuplexStreamingCall<DeliverRequest, DeliverResponse> stream, EndToEndFlow flow, int batch)
    {
        await foreach (var ack in stream.ResponseStream.ReadAllAsync())
        {
            if (ack.Status != DeliveryAckStatus.Acked)
            {
                Interlocked.Increment(ref _refused);
            }

            flow.Complete(batch);
        }
    }
}
