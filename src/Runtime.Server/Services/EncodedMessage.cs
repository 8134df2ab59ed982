using Grpc.Core;

namespace Runtime.Server.Services;

/// <summary>
/// A response message serialised once and written as-is to every stream that carries it. Fan-out streams send the
/// same batch to many subscribers; protobuf would otherwise serialise it again for each write. Clients see an ordinary
/// message of the method's declared response type.
/// </summary>
public sealed class EncodedMessage(byte[] bytes)
{
    /// <summary>Writes the bytes unchanged; reads keep the raw bytes.</summary>
    public static Marshaller<EncodedMessage> Marshaller { get; } = Marshallers.Create(
        (message, context) => context.Complete(message.Bytes),
        context => new EncodedMessage(context.PayloadAsNewBuffer()));

    /// <summary>The serialised message.</summary>
    public byte[] Bytes { get; } = bytes;
}
