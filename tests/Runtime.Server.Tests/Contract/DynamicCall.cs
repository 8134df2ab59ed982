using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Runtime.Server.Tests.Contract;

/// <summary>
/// Calls any RPC by its descriptor with one request message and returns the first answer: the response, or the
/// status it failed with. Lets contract tests sweep every served method without per-method client code.
/// </summary>
public static class DynamicCall
{
    /// <summary>The first response message, or the RpcException the call ended with.</summary>
    public static async Task<(IMessage? Response, RpcException? Error)> FirstAnswerAsync(
        CallInvoker invoker, MethodDescriptor method, IMessage request, Metadata? headers = null)
    {
        var grpcMethod = new Method<IMessage, IMessage>(
            TypeOf(method),
            method.Service.FullName,
            method.Name,
            Marshaller(method.InputType),
            Marshaller(method.OutputType));
        var options = new CallOptions(headers, deadline: DateTime.UtcNow.AddSeconds(15));
        try
        {
            switch (grpcMethod.Type)
            {
                case MethodType.Unary:
                    return (await invoker.AsyncUnaryCall(grpcMethod, null, options, request), null);
                case MethodType.ServerStreaming:
                {
                    using var call = invoker.AsyncServerStreamingCall(grpcMethod, null, options, request);
                    return await call.ResponseStream.MoveNext(CancellationToken.None)
                        ? (call.ResponseStream.Current, null)
                        : (null, null);
                }

                case MethodType.DuplexStreaming:
                {
                    using var call = invoker.AsyncDuplexStreamingCall(grpcMethod, null, options);
                    await call.RequestStream.WriteAsync(request);
                    await call.RequestStream.CompleteAsync();
                    return await call.ResponseStream.MoveNext(CancellationToken.None)
                        ? (call.ResponseStream.Current, null)
                        : (null, null);
                }

                default:
                {
                    using var call = invoker.AsyncClientStreamingCall(grpcMethod, null, options);
                    await call.RequestStream.WriteAsync(request);
                    await call.RequestStream.CompleteAsync();
                    return (await call.ResponseAsync, null);
                }
            }
        }
        catch (RpcException e)
        {
            return (null, e);
        }
    }

    private static MethodType TypeOf(MethodDescriptor method) => (method.IsClientStreaming, method.IsServerStreaming) switch
    {
        (false, false) => MethodType.Unary,
        (false, true) => MethodType.ServerStreaming,
        (true, false) => MethodType.ClientStreaming,
        _ => MethodType.DuplexStreaming,
    };

    private static Marshaller<IMessage> Marshaller(MessageDescriptor type) =>
        Marshallers.Create(m => m.ToByteArray(), bytes => type.Parser.ParseFrom(bytes));
}
