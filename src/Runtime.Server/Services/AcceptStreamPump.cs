using System.Threading.Channels;
using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.Core.Errors;
using Runtime.Core.Hosting;
using Runtime.Server.Errors;
using Runtime.Server.Mapping;

namespace Runtime.Server.Services;

/// <summary>
/// Runs one AcceptInputStream call. A reader moves requests into a bounded channel; the pump takes whatever has
/// arrived (up to <see cref="MaxBatch"/>), accepts each run of consecutive same-runtime requests as one batch (one
/// commit), and writes the answers in request order. While a batch commits, the next one accumulates, so a client
/// that pipelines gets group commits without asking for them.
/// </summary>
internal sealed class AcceptStreamPump(
    IRuntimeHost host,
    IAsyncStreamReader<AcceptInputStreamRequest> requests,
    IServerStreamWriter<AcceptInputStreamResponse> responses)
{
    /// <summary>Most requests answered by one pass (one commit per runtime in it).</summary>
    public const int MaxBatch = 2048;

    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var pending = Channel.CreateBounded<AcceptInputStreamRequest>(new BoundedChannelOptions(MaxBatch * 2)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        var reader = ReadAllAsync(pending.Writer, cancellationToken);
        var batch = new List<AcceptInputStreamRequest>(MaxBatch);
        while (await pending.Reader.WaitToReadAsync(cancellationToken))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && pending.Reader.TryRead(out var request))
            {
                batch.Add(request);
            }

            var answers = await AnswerAsync(batch, cancellationToken);
            for (var i = 0; i < answers.Length; i++)
            {
                responses.WriteOptions = i < answers.Length - 1 ? Buffered : null;
                await responses.WriteAsync(answers[i], cancellationToken);
            }
        }

        await reader;
    }

    private async Task ReadAllAsync(ChannelWriter<AcceptInputStreamRequest> writer, CancellationToken cancellationToken)
    {
        try
        {
            while (await requests.MoveNext(cancellationToken))
            {
                await writer.WriteAsync(requests.Current, cancellationToken);
            }

            writer.Complete();
        }
        catch (Exception e)
        {
            writer.Complete(e);
        }
    }

    /// <summary>Answers a batch in order: runs of the same runtime go to the host together, runtimes in parallel.</summary>
    private async Task<AcceptInputStreamResponse[]> AnswerAsync(List<AcceptInputStreamRequest> batch, CancellationToken cancellationToken)
    {
        var answers = new AcceptInputStreamResponse[batch.Count];
        var segments = new List<Task>();
        var start = 0;
        for (var i = 1; i <= batch.Count; i++)
        {
            if (i == batch.Count || batch[i].RuntimeId != batch[start].RuntimeId)
            {
                segments.Add(AnswerSegmentAsync(batch, start, i, answers, cancellationToken));
                start = i;
            }
        }

        await Task.WhenAll(segments);
        return answers;
    }

    private async Task AnswerSegmentAsync(
        List<AcceptInputStreamRequest> batch, int start, int end, AcceptInputStreamResponse[] answers, CancellationToken cancellationToken)
    {
        var submissions = new List<InputSubmission>(end - start);
        var positions = new List<int>(end - start);
        for (var i = start; i < end; i++)
        {
            try
            {
                submissions.Add(batch[i].Input.ToSubmission("input"));
                positions.Add(i);
            }
            catch (RuntimeException e)
            {
                answers[i] = Error(batch[i], e);
            }
        }

        if (submissions.Count == 0)
        {
            return;
        }

        try
        {
            var results = await host.AcceptInputsAsync(batch[start].RuntimeId, submissions, cancellationToken);
            for (var k = 0; k < results.Count; k++)
            {
                var request = batch[positions[k]];
                answers[positions[k]] = results[k].Failure is { } failure
                    ? Error(request, failure.ToException())
                    : new AcceptInputStreamResponse { CorrelationId = request.CorrelationId, Accepted = results[k].ToProto() };
            }
        }
        catch (RuntimeException e)
        {
            // The whole segment was refused (unknown runtime, bad runtime id): each request gets the same answer.
            foreach (var position in positions)
            {
                answers[position] = Error(batch[position], e);
            }
        }
    }

    private static AcceptInputStreamResponse Error(AcceptInputStreamRequest request, RuntimeException error) =>
        new() { CorrelationId = request.CorrelationId, Error = ErrorMapping.ToErrorDetail(error) };
}
