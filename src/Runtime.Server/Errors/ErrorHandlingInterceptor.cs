using Grpc.Core;
using Grpc.Core.Interceptors;
using Runtime.Core.Errors;

namespace Runtime.Server.Errors;

/// <summary>
/// Catches what handlers throw and answers with a rich status: domain errors keep their code and reason; anything
/// unexpected is logged and answered INTERNAL without leaking internals. No call ends in an unhandled exception.
/// </summary>
public sealed class ErrorHandlingInterceptor(ILogger<ErrorHandlingInterceptor> logger) : Interceptor
{
    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (Translate(e, context) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <inheritdoc />
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e) when (Translate(e, context) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (Translate(e, context) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <inheritdoc />
    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception e) when (Translate(e, context) is { } mapped)
        {
            throw mapped;
        }
    }

    private const string DetailsTrailer = "grpc-status-details-bin";

    // NotFound -> NOT_FOUND.
    private static string ReasonOf(StatusCode code) =>
        string.Concat(code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? $"_{c}" : char.ToUpperInvariant(c).ToString()));

    /// <summary>The exception to answer with, or null to let the original through (already a status, or a cancel).</summary>
    private RpcException? Translate(Exception error, ServerCallContext context)
    {
        switch (error)
        {
            case RuntimeException domain:
                if (domain.Kind == ErrorKind.Internal)
                {
                    logger.LogError(domain, "{Method} failed: {Reason}", context.Method, domain.Reason);
                }

                return ErrorMapping.ToRpcException(domain);
            case RpcException bare when bare.Trailers.GetValueBytes(DetailsTrailer) is null:
                // A status without details, from a framework service (health: an unknown service is NOT_FOUND):
                // the same code and message, with the ErrorInfo every answer carries.
                return ErrorMapping.ToStatus(bare.StatusCode, ReasonOf(bare.StatusCode), bare.Status.Detail,
                    new Dictionary<string, string> { ["method"] = context.Method.TrimStart('/') }).ToRpcException();
            case RpcException:
                return null;
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return null;
            default:
                logger.LogError(error, "{Method} failed with an unexpected error", context.Method);
                return ErrorMapping.ToRpcException(StatusCode.Internal, "INTERNAL", "internal error; see the server log");
        }
    }
}
