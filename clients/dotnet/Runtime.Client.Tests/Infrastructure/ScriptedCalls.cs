using System.Threading.Channels;
using Grpc.Core;

namespace Runtime.Client.Tests.Infrastructure;

/// <summary>
/// The scripted answers of one server-streaming method: each incoming call takes the next script in order and the
/// request is recorded so tests can assert what the client asked for on every (re)connection.
/// </summary>
/// <typeparam name="TRequest">The request.</typeparam>
/// <typeparam name="TResponse">The streamed message.</typeparam>
public sealed class ScriptedCalls<TRequest, TResponse>
{
    private readonly Channel<Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task>> _scripts =
        Channel.CreateUnbounded<Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task>>();

    private readonly Channel<TRequest> _requests = Channel.CreateUnbounded<TRequest>();

    /// <summary>Queues the behaviour of the next call.</summary>
    public void Then(Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> script) => _scripts.Writer.TryWrite(script);

    /// <summary>
    /// Queues a call that writes these messages, then breaks the connection when the test completes the returned
    /// signal. Breaking at once would race the client: data in flight when a stream is reset is lost (which is what
    /// resuming is for), so tests break only after the client has read what they assert on.
    /// </summary>
    public TaskCompletionSource ThenSendAndBreak(params TResponse[] messages)
    {
        var breakNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Then(async (_, writer, context) =>
        {
            foreach (var message in messages)
            {
                await writer.WriteAsync(message);
            }

            await breakNow.Task.WaitAsync(context.CancellationToken);
            Scripts.BreakConnection(context);
        });
        return breakNow;
    }

    /// <summary>Queues a call that writes these messages and ends with OK.</summary>
    public void ThenSendAndEnd(params TResponse[] messages) => Then(async (_, writer, _) =>
    {
        foreach (var message in messages)
        {
            await writer.WriteAsync(message);
        }
    });

    /// <summary>Queues a call that fails at once with this exception.</summary>
    public void ThenFail(RpcException error) => Then((_, _, _) => throw error);

    /// <summary>The next request the server received (bounded wait).</summary>
    public async Task<TRequest> NextRequestAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _requests.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>True when a request arrived that no test has read yet.</summary>
    public bool HasUnreadRequest => _requests.Reader.TryPeek(out _);

    /// <summary>Runs the next script for a call.</summary>
    public async Task HandleAsync(TRequest request, IServerStreamWriter<TResponse> writer, ServerCallContext context)
    {
        _requests.Writer.TryWrite(request);
        if (!_scripts.Reader.TryRead(out var script))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "no script left for this call"));
        }

        await script(request, writer, context);
    }
}
