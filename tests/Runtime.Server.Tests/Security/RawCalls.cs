using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;

namespace Runtime.Server.Tests.Security;

/// <summary>Calls any method by name with raw request bytes, whatever its type, and returns how it ended.</summary>
public static class RawCalls
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    /// <summary>
    /// How a call failed (null when it succeeded), judged at the first response message for streams. The request
    /// message is sent on unary and server-streaming calls.
    /// </summary>
    public static async Task<RpcException?> CallAsync(
        GrpcChannel channel, string service, string method, MethodType type, CallOptions options, byte[]? request = null)
    {
        var invoker = channel.CreateCallInvoker();
        var descriptor = new Method<byte[], byte[]>(type, service, method, Bytes, Bytes);
        request ??= [];
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(descriptor, null, options, request).ResponseAsync;
                    break;
                case MethodType.ServerStreaming:
                    using (var call = invoker.AsyncServerStreamingCall(descriptor, null, options, request))
                    {
                        await call.ResponseStream.MoveNext(options.CancellationToken);
                    }

                    break;
                case MethodType.ClientStreaming:
                    // Request streams are left open and empty: security answers from the headers alone, and writing
                    // while the server already answers races the end of the call (a client-side CANCELLED).
                    using (var call = invoker.AsyncClientStreamingCall(descriptor, null, options))
                    {
                        await call.ResponseAsync;
                    }

                    break;
                default:
                    using (var call = invoker.AsyncDuplexStreamingCall(descriptor, null, options))
                    {
                        await call.ResponseStream.MoveNext(options.CancellationToken);
                    }

                    break;
            }

            return null;
        }
        catch (RpcException e)
        {
            return e;
        }
    }

    /// <summary>The ErrorInfo of a failed call (reason empty when there is none).</summary>
    public static ErrorInfo Info(RpcException error) =>
        error.GetRpcStatus()?.Details.FirstOrDefault(d => d.Is(ErrorInfo.Descriptor))?.Unpack<ErrorInfo>() ?? new ErrorInfo();
}
