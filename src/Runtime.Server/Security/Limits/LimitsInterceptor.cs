using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using Runtime.Server.Errors;
using Runtime.Server.Hosting;

namespace Runtime.Server.Security.Limits;

/// <summary>
/// Limits inside streaming calls, where middleware cannot see individual messages: paces ingest streams by the
/// caller's token bucket, and gives an oversized request message its <c>MESSAGE_TOO_LARGE</c> ErrorInfo.
/// </summary>
public sealed class LimitsInterceptor(CallerLimiters limiters, TimeProvider time, IOptions<ServerOptions> server) : Interceptor
{
    /// <inheritdoc />
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(Pace(requestStream, context), context);
        }
        catch (RpcException e) when (MessageSizeStatus.IsTooLarge(e.StatusCode, e.Status.Detail, e.Trailers.GetValueBytes(MessageSizeStatus.DetailsHeader)))
        {
            throw MessageSizeStatus.ToRpcException(server.Value.MaxMessageBytes);
        }
    }

    /// <inheritdoc />
    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(Pace(requestStream, context), responseStream, context);
        }
        catch (RpcException e) when (MessageSizeStatus.IsTooLarge(e.StatusCode, e.Status.Detail, e.Trailers.GetValueBytes(MessageSizeStatus.DetailsHeader)))
        {
            throw MessageSizeStatus.ToRpcException(server.Value.MaxMessageBytes);
        }
    }

    private IAsyncStreamReader<T> Pace<T>(IAsyncStreamReader<T> requestStream, ServerCallContext context)
    {
        if (!MethodAccessTable.RateLimitedIngest.Contains(context.Method.TrimStart('/')))
        {
            return requestStream;
        }

        var caller = CallerIdentity.LimitKey(context.GetHttpContext());
        return new PacedStreamReader<T>(requestStream,
            message => limiters.Ingest.AttemptAcquire(caller, Math.Min(InputCount(message), limiters.MaxIngestPermits)), time,
            context.CancellationToken);
    }

    // One token per input: a batch request on AcceptInputStream pays for each input it carries.
    private static int InputCount<T>(T message) =>
        message is Contracts.V1.AcceptInputStreamRequest request ? Services.AcceptStreamPump.InputCount(request) : 1;
}
