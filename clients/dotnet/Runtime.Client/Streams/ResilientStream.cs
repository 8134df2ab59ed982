using System.Runtime.CompilerServices;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Runtime.Client.Streams;

/// <summary>
/// Reads a resumable server stream as one <see cref="IAsyncEnumerable{T}"/> across reconnections. When the stream
/// breaks with a transient status it reconnects (failed attempts back off through a Polly retry pipeline) and asks
/// the server to resume after the last position delivered. Every server message, gaps included, reaches the caller:
/// a gap is the server's statement of a hole and hiding it would turn it into a silent one.
/// </summary>
internal sealed class ResilientStream(ReconnectOptions options, TimeProvider time, ILogger logger)
{
    private readonly ResiliencePipeline _connect = new ResiliencePipelineBuilder { TimeProvider = time }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => IsTransient(e.StatusCode)),
            BackoffType = DelayBackoffType.Exponential,
            Delay = options.InitialDelay,
            MaxDelay = options.MaxDelay,
            MaxRetryAttempts = options.MaxAttempts,
            UseJitter = options.UseJitter,
            OnRetry = args =>
            {
                logger.LogWarning(
                    "Runtime stream connection failed ({Status}); retry {Attempt} in {Delay}",
                    (args.Outcome.Exception as RpcException)?.StatusCode, args.AttemptNumber + 1, args.RetryDelay);
                return default;
            },
        })
        .Build();

    /// <summary>Statuses worth reconnecting on: the server or the network went away, or the server shed load.</summary>
    public static bool IsTransient(StatusCode code) =>
        code is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.Aborted or StatusCode.ResourceExhausted;

    /// <summary>Reads every message of the stream, reconnecting as needed, until the server ends it, the cursor's
    /// limits are used up, a non-transient failure occurs, or <paramref name="cancellationToken"/> is cancelled.</summary>
    public async IAsyncEnumerable<TResponse> ReadAllAsync<TRequest, TResponse>(
        Func<TRequest, CancellationToken, AsyncServerStreamingCall<TResponse>> open,
        IStreamCursor<TRequest, TResponse> cursor,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (!cursor.Exhausted)
        {
            var (call, first) = await ConnectAsync(open, cursor, cancellationToken);
            using (call)
            {
                if (first is null)
                {
                    yield break;
                }

                cursor.Delivered(first);
                yield return first;
                while (!cursor.Exhausted)
                {
                    var (more, broken) = await NextAsync(call, cancellationToken);
                    if (broken)
                    {
                        break;
                    }

                    if (!more)
                    {
                        // The server ended the stream with OK: the caller's limits were reached.
                        yield break;
                    }

                    cursor.Delivered(call.ResponseStream.Current);
                    yield return call.ResponseStream.Current;
                }

                if (cursor.Exhausted)
                {
                    yield break;
                }
            }
        }
    }

    private async Task<(AsyncServerStreamingCall<TResponse> Call, TResponse? First)> ConnectAsync<TRequest, TResponse>(
        Func<TRequest, CancellationToken, AsyncServerStreamingCall<TResponse>> open,
        IStreamCursor<TRequest, TResponse> cursor,
        CancellationToken cancellationToken)
    {
        try
        {
            // A connection counts as made once it delivers its first message; until then failures back off.
            return await _connect.ExecuteAsync(
                async token =>
                {
                    var call = open(cursor.NextRequest(), token);
                    try
                    {
                        var first = await call.ResponseStream.MoveNext(token) ? call.ResponseStream.Current : default;
                        return (call, first);
                    }
                    catch
                    {
                        call.Dispose();
                        throw;
                    }
                },
                cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    private async Task<(bool More, bool Broken)> NextAsync<TResponse>(
        AsyncServerStreamingCall<TResponse> call, CancellationToken cancellationToken)
    {
        try
        {
            return (await call.ResponseStream.MoveNext(cancellationToken), false);
        }
        catch (RpcException e) when (IsTransient(e.StatusCode))
        {
            logger.LogWarning("Runtime stream broke ({Status}: {Detail}); resuming", e.StatusCode, e.Status.Detail);
            return (false, true);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }
}
