using Grpc.Core;
using Grpc.Net.Client;
using Runtime.Bench.Harness;
using Runtime.Contracts.V1;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// The runtime side's client: one <c>RuntimeDriverService.AcceptInputStream</c> call per caller on the real server.
/// A batch goes as one request carrying all its inputs (<c>inputs</c>), or, with <c>perInput</c>, as one request per
/// input written back to back and flushed once. A reader per call drains the answers (in request order) and counts
/// any input that is not ACCEPTED. Completion is seen as CONSUMED by <see cref="EndToEndConsumption"/>.
/// </summary>
internal sealed class EndToEndIngest : IAsyncDisposable
{
    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    private readonly AsyncDuplexStreamingCall<AcceptInputStreamRequest, AcceptInputStreamResponse>[] _streams;
    private readonly Task[] _readers;
    private readonly bool _perInput;
    private long _refused;

    public EndToEndIngest(GrpcChannel channel, int callers, bool perInput)
    {
        _perInput = perInput;
        _streams = [.. Enumerable.Range(0, callers).Select(_ => new RuntimeDriverService.RuntimeDriverServiceClient(channel).AcceptInputStream())];
        _readers = [.. _streams.Select(ReadAnswersAsync)];
    }

    /// <summary>Answers that were not ACCEPTED.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Streams one batch into <paramref name="runtimeId"/> (its answers are read in the background).</summary>
    public async Task SendAsync(int caller, string runtimeId, IReadOnlyList<Google.Protobuf.ByteString> payloads)
    {
        var stream = _streams[caller];
        if (!_perInput)
        {
            var request = new AcceptInputStreamRequest { RuntimeId = runtimeId };
            foreach (var payload in payloads)
            {
                request.Inputs.Add(Input(payload));
            }

            await stream.RequestStream.WriteAsync(request);
            return;
        }

        for (var i = 0; i < payloads.Count; i++)
        {
            stream.RequestStream.WriteOptions = i < payloads.Count - 1 ? Buffered : null;
            await stream.RequestStream.WriteAsync(new AcceptInputStreamRequest { RuntimeId = runtimeId, Input = Input(payloads[i]) });
        }
    }

    private static Input Input(Google.Protobuf.ByteString payload) => new()
    {
        Kind = "bench",
        Payload = payload,
        ContentType = "application/octet-stream",
        PayloadType = PayloadType.RpcReliable,
    };

    /// <inheritdoc />
    public ValueTask DisposeAsync() => DuplexCalls.CloseAsync(_streams, _readers);

    private async Task ReadAnswersAsync(AsyncDuplexStreamingCall<AcceptInputStreamRequest, AcceptInputStreamResponse> stream)
    {
        await foreach (var answer in stream.ResponseStream.ReadAllAsync())
        {
            if (answer.ResultCase != AcceptInputStreamResponse.ResultOneofCase.None)
            {
                if (answer.Accepted is not { Outcome: AcceptOutcome.Accepted })
                {
                    Interlocked.Increment(ref _refused);
                }
            }

            foreach (var result in answer.Results)
            {
                if (result.Accepted is not { Outcome: AcceptOutcome.Accepted })
                {
                    Interlocked.Increment(ref _refused);
                }
            }
        }
    }
}
