using Grpc.Core;
using Runtime.Server.Errors;

namespace Runtime.Server.Binding;

/// <summary>
/// The answer to request bytes that are not a valid message of the method's request type (bad wire types, invalid
/// UTF-8, field number 0, truncations, nesting too deep): INVALID_ARGUMENT, reason <c>MALFORMED_REQUEST</c>.
/// </summary>
public static class MalformedRequest
{
    /// <summary>The ErrorInfo reason.</summary>
    public const string Reason = "MALFORMED_REQUEST";

    /// <summary>Wraps a request deserializer so that anything it throws is answered as a malformed request.</summary>
    public static Marshaller<T> Guard<T>(Marshaller<T> marshaller, string messageType)
    {
        var parse = marshaller.ContextualDeserializer;
        return new Marshaller<T>(marshaller.ContextualSerializer, context =>
        {
            try
            {
                return parse(context);
            }
            catch (Exception e) when (e is not RpcException and not OperationCanceledException)
            {
                throw ToRpcException(messageType, e);
            }
        });
    }

    /// <summary>The rich status for bytes that do not parse as <paramref name="messageType"/>.</summary>
    public static RpcException ToRpcException(string messageType, Exception parseError) =>
        ErrorMapping.ToStatus(StatusCode.InvalidArgument, Reason,
                $"the request is not a valid {messageType} message: {parseError.Message}",
                new Dictionary<string, string> { ["message_type"] = messageType, ["parse_error"] = parseError.Message })
            .ToRpcException();
}
