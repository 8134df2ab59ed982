using Grpc.Core;
using Grpc.Net.Client;
using Runtime.Contracts.V1;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// The runtime side's client: one <c>RuntimeDriverService.AcceptInputStream</c> call per caller on the real server.
/// A batch is written back to back and flushed once; a reader per call drains the answers (in request order) and
/// counts any that is not ACCEPTED. Completion is seen as CONSUMED by <see cref="EndToEndConsumption"/>.
/// </summary>
internal sealed class EndToEndIngest : IAsyncDisposable
{
    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    private readonly AsyncDuplexStreamingCall<AcceptInputStreamRequest, AcceptInputStreamResponse>[] _streams;
    private readonly Task[] _readers;
    private long _refused;

    public EndToEndIngest(GrpcChannel channel, int callers)
    {
        _streams = [.. Enumerable.Range(0, callers).Select(_ => new RuntimeDriverService.RuntimeDriverServiceClient(channel).AcceptInputStream())];
        _readers = [.. _streams.Select(ReadAnswersAsync)];
    }

    /// <summary>Answers that were not ACCEPTED.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Streams one batch into <paramref name="runtimeId"/> (its answers are read in the background).</summary>
    public async Task SendAsync(int caller, string runtimeId, IReadOnlyList<Google.Protobuf.ByteString> payloads)
    {
        var stream = _streams[caller];
        for (var i = 0; i < payloads.Count; i++)
        {
            stream.RequestStream.WriteOptions = i < payloads.Count - 1 ? Buffered : null;
            await stream.RequestStream.WriteAsync(new AcceptInputStreamRequest
            {
                RuntimeId = runtimeId,
                Input = new Input
                {
                    Kind = "bench",
                    Payload = payloads[i],
                    ContentType = "application/octet-stream",
                    PayloadType = PayloadType.RpcReliable,
                },
            });
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var stream in _streams)
        {
            await stream.RequestStream.CompleteAsync();
        }

        await Task.WhenAll(_readers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var stream in _streams)
        {
            stream.Dispose();
        }
    }

    private async Task ReadAnswersAsync(AsyncDuplexStreamingCall<AcceptInputStreamRequest, AcceptInputStreamResponse> stream)
    {
        await foreach (var answer in stream.ResponseStream.ReadAllAsync())
        {
            if (answer.Accepted is not { Outcome: AcceptOutcome.Accepted })
            {
                Interlocked.Increment(ref _refused);
            }
        }
    }
}
