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
/// the groups that are waiting (stopping once it holds <see cref="MaxBatch"/> inputs), accepts each run of consecutive same-runtime
/// requests as one batch (one commit), and queues the answers. Up to <see cref="MaxPassesInFlight"/> passes are
/// accepted while earlier ones commit (each runtime's actor keeps their order); a writer sends the answers in request
/// order. So a client that flushes a burst gets it accepted as one batch, and one that pipelines gets group commits.
/// </summary>
internal sealed class AcceptStreamPump(
    IRuntimeHost host,
    IAsyncStreamReader<AcceptInputStreamRequest> requests,
    IServerStreamWriter<AcceptInputStreamResponse> responses,
    CancellationToken callAborted)
{
    /// <summary>
    /// Inputs after which a pass stops taking more (one commit per runtime in it); also the most inputs one request may
    /// carry.
    /// </summary>
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
                var inputs = 0;
                while (inputs < MaxBatch && arrived.Reader.TryRead(out var group))
                {
                    batch.AddRange(group);
                    inputs += group.Sum(InputCount);
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
                    // The call's own token, not the shutdown-linked one: a write that shutdown cancelled would
                    // reset the stream and lose the SERVER_SHUTTING_DOWN status (see ShutdownSignal).
                    await responses.WriteAsync(answers[i], callAborted);
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
            var inputs = 0;
            var next = requests.MoveNext(cancellationToken);
            while (await next)
            {
                group.Add(requests.Current);
                inputs += InputCount(requests.Current);
                next = requests.MoveNext(cancellationToken);
                if (!next.IsCompleted || inputs >= MaxBatch)
                {
                    // Nothing more is buffered (or the group is full): hand over what arrived together.
                    await writer.WriteAsync(group, cancellationToken);
                    (group, inputs) = ([], 0);
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

    /// <summary>
    /// Answers a pass in order. Every input becomes an item (a request's <c>input</c>, then its <c>inputs</c>); runs of
    /// items for the same runtime go to the host together, runtimes in parallel; then each request gets its response:
    /// one result for a single input, the list of results for a batch request.
    /// </summary>
    private async Task<AcceptInputStreamResponse[]> AnswerAsync(List<AcceptInputStreamRequest> batch, CancellationToken cancellationToken)
    {
        var items = new List<Item>(batch.Count);
        var firstItem = new int[batch.Count + 1];
        var refused = new RuntimeException?[batch.Count];
        for (var r = 0; r < batch.Count; r++)
        {
            firstItem[r] = items.Count;
            var request = batch[r];
            if (request.Inputs.Count == 0)
            {
                items.Add(new Item(request.RuntimeId, request.Input, "input"));
            }
            else if (InputCount(request) > MaxBatch)
            {
                refused[r] = Fail.InvalidField("inputs", $"at most {MaxBatch} inputs per request");
            }
            else
            {
                if (request.Input is not null)
                {
                    items.Add(new Item(request.RuntimeId, request.Input, "input"));
                }

                for (var k = 0; k < request.Inputs.Count; k++)
                {
                    items.Add(new Item(request.RuntimeId, request.Inputs[k], $"inputs[{k}]"));
                }
            }
        }

        firstItem[batch.Count] = items.Count;
        var results = new AcceptInputStreamResult[items.Count];
        var segments = new List<Task>();
        var start = 0;
        for (var i = 1; i <= items.Count; i++)
        {
            if (i == items.Count || items[i].RuntimeId != items[start].RuntimeId)
            {
                segments.Add(AnswerSegmentAsync(items, start, i, results, cancellationToken));
                start = i;
            }
        }

        await Task.WhenAll(segments);
        var answers = new AcceptInputStreamResponse[batch.Count];
        for (var r = 0; r < batch.Count; r++)
        {
            var request = batch[r];
            var answer = answers[r] = new AcceptInputStreamResponse { CorrelationId = request.CorrelationId };
            if (refused[r] is { } error)
            {
                answer.Error = ErrorMapping.ToErrorDetail(error);
            }
            else if (request.Inputs.Count == 0)
            {
                var single = results[firstItem[r]];
                if (single.ResultCase == AcceptInputStreamResult.ResultOneofCase.Accepted)
                {
                    answer.Accepted = single.Accepted;
                }
                else
                {
                    answer.Error = single.Error;
                }
            }
            else
            {
                answer.Results.AddRange(new ArraySegment<AcceptInputStreamResult>(results, firstItem[r], firstItem[r + 1] - firstItem[r]));
            }
        }

        return answers;
    }

    private async Task AnswerSegmentAsync(
        List<Item> items, int start, int end, AcceptInputStreamResult[] results, CancellationToken cancellationToken)
    {
        var submissions = new List<InputSubmission>(end - start);
        var positions = new List<int>(end - start);
        for (var i = start; i < end; i++)
        {
            try
            {
                submissions.Add(items[i].Input.ToSubmission(items[i].Field));
                positions.Add(i);
            }
            catch (RuntimeException e)
            {
                results[i] = Error(e);
            }
        }

        if (submissions.Count == 0)
        {
            return;
        }

        try
        {
            var accepted = await host.AcceptInputsAsync(items[start].RuntimeId, submissions, cancellationToken);
            for (var k = 0; k < accepted.Count; k++)
            {
                results[positions[k]] = accepted[k].Failure is { } failure
                    ? Error(failure.ToException())
                    : new AcceptInputStreamResult { Accepted = accepted[k].ToProto() };
            }
        }
        catch (RuntimeException e)
        {
            // The whole segment was refused (unknown runtime, bad runtime id): each input gets the same answer.
            foreach (var position in positions)
            {
                results[position] = Error(e);
            }
        }
    }

    private static AcceptInputStreamResult Error(RuntimeException error) => new() { Error = ErrorMapping.ToErrorDetail(error) };

    /// <summary>How many inputs a request carries (a request with none still gets an answer: it counts as one).</summary>
    internal static int InputCount(AcceptInputStreamRequest request) =>
        Math.Max(1, request.Inputs.Count + (request.Input is null ? 0 : 1));

    /// <summary>One input of a pass: its runtime, and the request field it came from (for error messages).</summary>
    private readonly record struct Item(string RuntimeId, Input? Input, string Field);
}
