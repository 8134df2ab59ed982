using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Runtime.Client.Errors;

/// <summary>
/// Turns every <see cref="RpcException"/> a call raises into a <see cref="RuntimeClientException"/>, for unary calls
/// and while reading response streams. <c>AddRuntimeClient</c> and <see cref="RuntimeClient.Create"/> install it.
/// </summary>
public sealed class RuntimeErrorInterceptor : Interceptor
{
    /// <inheritdoc />
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        try
        {
            return continuation(request, context);
        }
        catch (RpcException e) when (e is not RuntimeClientException)
        {
            throw RuntimeClientException.From(e);
        }
    }

    /// <inheritdoc />
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(request, context);
        return new AsyncUnaryCall<TResponse>(
            Typed(call.ResponseAsync), Typed(call.ResponseHeadersAsync), call.GetStatus, call.GetTrailers, call.Dispose);
    }

    /// <inheritdoc />
    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(context);
        return new AsyncClientStreamingCall<TRequest, TResponse>(
            call.RequestStream, Typed(call.ResponseAsync), Typed(call.ResponseHeadersAsync), call.GetStatus, call.GetTrailers, call.Dispose);
    }

    /// <inheritdoc />
    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(request, context);
        return new AsyncServerStreamingCall<TResponse>(
            new TypedStreamReader<TResponse>(call.ResponseStream), Typed(call.ResponseHeadersAsync), call.GetStatus, call.GetTrailers, call.Dispose);
    }

    /// <inheritdoc />
    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(context);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            call.RequestStream, new TypedStreamReader<TResponse>(call.ResponseStream), Typed(call.ResponseHeadersAsync),
            call.GetStatus, call.GetTrailers, call.Dispose);
    }

    private static async Task<T> Typed<T>(Task<T> task)
    {
        try
        {
            return await task;
        }
        catch (RpcException e) when (e is not RuntimeClientException)
        {
            throw RuntimeClientException.From(e);
        }
    }

    private sealed class TypedStreamReader<T>(IAsyncStreamReader<T> inner) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            try
            {
                return await inner.MoveNext(cancellationToken);
            }
            catch (RpcException e) when (e is not RuntimeClientException)
            {
                throw RuntimeClientException.From(e);
            }
        }
    }
}
