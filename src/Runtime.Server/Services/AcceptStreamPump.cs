using System.Threading.Channels;
using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.Core.Errors;
using Runtime.Core.Hosting;
using Runtime.Server.Errors;
using Runtime.Server.Mapping;

namespace Runtime.Server.Services;

/// <summary>
/// Runs one AcceptInputStream call. A reader groups the requests that arrived together (a burst the client flushed
/// at once is already buffered, so its next read completes at once) and hands each group to the pump; the pump takes
/// the groups that are waiting (stopping once it holds <see cref="MaxBatch"/> requests), accepts each run of consecutive same-runtime
/// requests as one batch (one commit), and queues the answers. Up to <see cref="MaxPassesInFlight"/> passes are
/// accepted while earlier ones commit (each runtime's actor keeps their order); a writer sends the answers in request
/// order. So a client that flushes a burst gets it accepted as one batch, and one that pipelines gets group commits.
/// </summary>
internal sealed class AcceptStreamPump(
    IRuntimeHost host,
    IAsyncStreamReader<AcceptInputStreamRequest> requests,
    IServerStreamWriter<AcceptInputStreamResponse> responses)
{
    /// <summary>Most requests answered by one pass (one commit per runtime in it).</summary>
    public const int MaxBatch = 2048;

    /// <summary>Most passes accepted but not yet answered.</summary>
    public const int MaxPassesInFlight = 4;

    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var arrived = Channel.CreateBounded<List<AcceptInputStreamRequest>>(new BoundedChannelOptions(MaxPassesInFlight)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        var answering = Channel.CreateBounded<Task<AcceptInputStreamResponse[]>>(new BoundedChannelOptions(MaxPassesInFlight)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        // A failed response write ends the whole call: the pump must not wait for room that will never come.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = ReadAllAsync(arrived.Writer, stop.Token);
        var writer = WriteAllAsync(answering.Reader, stop);
        try
        {
            while (await arrived.Reader.WaitToReadAsync(stop.Token))
            {
                var batch = new List<AcceptInputStreamRequest>();
                while (batch.Count < MaxBatch && arrived.Reader.TryRead(out var group))
                {
                    batch.AddRange(group);
                }

                // Posted to the runtimes now (in order), answered when their commits land.
                await answering.Writer.WriteAsync(AnswerAsync(batch, stop.Token), stop.Token);
            }

            answering.Writer.Complete();
        }
        catch (OperationCanceledException) when (writer.IsFaulted)
        {
            // The writer's failure is the one to report (below).
        }
        catch (Exception e)
        {
            answering.Writer.TryComplete(e);
            await stop.CancelAsync();
            await writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        await writer;
        await reader;
    }

    private async Task WriteAllAsync(ChannelReader<Task<AcceptInputStreamResponse[]>> passes, CancellationTokenSource stop)
    {
        try
        {
            await foreach (var pass in passes.ReadAllAsync(stop.Token))
            {
                var answers = await pass;
                for (var i = 0; i < answers.Length; i++)
                {
                    // Flush at the end of a pass unless the next pass is already answered.
                    var last = i == answers.Length - 1 && !(passes.TryPeek(out var next) && next.IsCompleted);
                    responses.WriteOptions = last ? null : Buffered;
                    await responses.WriteAsync(answers[i], stop.Token);
                }
            }
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
    }

    private async Task ReadAllAsync(ChannelWriter<List<AcceptInputStreamRequest>> writer, CancellationToken cancellationToken)
    {
        try
        {
            var group = new List<AcceptInputStreamRequest>();
            var next = requests.MoveNext(cancellationToken);
            while (await next)
            {
                group.Add(requests.Current);
                next = requests.MoveNext(cancellationToken);
                if (!next.IsCompleted || group.Count >= MaxBatch)
                {
                    // Nothing more is buffered: hand over what arrived together.
                    await writer.WriteAsync(group, cancellationToken);
                    group = [];
                }
            }

            if (group.Count > 0)
            {
                await writer.WriteAsync(group, cancellationToken);
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
