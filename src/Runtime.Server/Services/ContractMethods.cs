using Google.Protobuf;
using Grpc.Core;

namespace Runtime.Server.Services;

/// <summary>
/// Method definitions for hand-written service bindings: the contract's names and protobuf marshalling, as the
/// generated code declares them, plus fan-out streams whose responses are <see cref="EncodedMessage"/>s.
/// </summary>
internal static class ContractMethods
{
    /// <summary>A unary method of <paramref name="service"/> with protobuf requests and responses.</summary>
    public static Method<TRequest, TResponse> Unary<TRequest, TResponse>(
        Google.Protobuf.Reflection.ServiceDescriptor service, string name, MessageParser<TRequest> request, MessageParser<TResponse> response)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        new(MethodType.Unary, service.FullName, name, Proto(request), Proto(response));

    /// <summary>A server-streaming method whose responses are written pre-encoded (clients see the contract's type).</summary>
    public static Method<TRequest, EncodedMessage> EncodedStream<TRequest>(
        Google.Protobuf.Reflection.ServiceDescriptor service, string name, MessageParser<TRequest> request)
        where TRequest : class, IMessage<TRequest> =>
        new(MethodType.ServerStreaming, service.FullName, name, Proto(request), EncodedMessage.Marshaller);

    private static Marshaller<T> Proto<T>(MessageParser<T> parser)
        where T : class, IMessage<T> =>
        Marshallers.Create(
            (message, context) =>
            {
                context.SetPayloadLength(message.CalculateSize());
                message.WriteTo(context.GetBufferWriter());
                context.Complete();
            },
            context => parser.ParseFrom(context.PayloadAsReadOnlySequence()));
}
