using Grpc.Core;
using Grpc.Net.Client;

namespace Runtime.Server.Tests.Hostile;

/// <summary>How one raw call ended: its status (OK when it ended well), trailers and the sizes it received.</summary>
public sealed record RawAnswer(Status Status, Metadata Trailers, int Messages, int LargestMessage, RpcException? Error);

/// <summary>Calls any method by name with raw request bytes and reads the whole answer, bounded in count and time.</summary>
public static class RawCall
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    /// <summary>
    /// Sends <paramref name="request"/> as the one request message (on request streams too, which are then completed)
    /// and reads at most <paramref name="maxMessages"/> responses before cancelling.
    /// </summary>
    public static async Task<RawAnswer> CallAsync(
        GrpcChannel channel, string fullName, MethodType type, byte[] request, int maxMessages = 20, TimeSpan? timeout = null)
    {
        var slash = fullName.IndexOf('/', StringComparison.Ordinal);
        var method = new Method<byte[], byte[]>(type, fullName[..slash], fullName[(slash + 1)..], Bytes, Bytes);
        var invoker = channel.CreateCallInvoker();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        var options = new CallOptions(cancellationToken: cancel.Token);
        var messages = 0;
        var largest = 0;
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    largest = (await invoker.AsyncUnaryCall(method, null, options, request)).Length;
                    messages = 1;
                    break;
                case MethodType.ClientStreaming:
                {
                    using var call = invoker.AsyncClientStreamingCall(method, null, options);
                    await WriteQuietlyAsync(call.RequestStream, request);
                    largest = (await call.ResponseAsync).Length;
                    messages = 1;
                    break;
                }

                case MethodType.ServerStreaming:
                {
                    using var call = invoker.AsyncServerStreamingCall(method, null, options, request);
                    (messages, largest) = await ReadAsync(call.ResponseStream, maxMessages, cancel);
                    return Answer(call.GetStatus, call.GetTrailers, messages, largest);
                }

                default:
                {
                    using var call = invoker.AsyncDuplexStreamingCall(method, null, options);
                    await WriteQuietlyAsync(call.RequestStream, request);
                    (messages, largest) = await ReadAsync(call.ResponseStream, maxMessages, cancel);
                    return Answer(call.GetStatus, call.GetTrailers, messages, largest);
                }
            }

            return new RawAnswer(Status.DefaultSuccess, [], messages, largest, null);
        }
        catch (RpcException e)
        {
            return new RawAnswer(e.Status, e.Trailers, messages, largest, e);
        }
    }

    private static RawAnswer Answer(Func<Status> status, Func<Metadata> trailers, int messages, int largest) =>
        new(status(), trailers(), messages, largest, null);

    private static async Task<(int Messages, int Largest)> ReadAsync(
        IAsyncStreamReader<byte[]> responses, int maxMessages, CancellationTokenSource cancel)
    {
        var (messages, largest) = (0, 0);
        while (await responses.MoveNext(cancel.Token))
        {
            messages++;
            largest = Math.Max(largest, responses.Current.Length);
            if (messages >= maxMessages)
            {
                // Enough: an open stream is left by cancelling it, which the caller sees as CANCELLED.
                await cancel.CancelAsync();
            }
        }

        return (messages, largest);
    }

    // The server may answer (and end the call) before the client has finished writing.
    private static async Task WriteQuietlyAsync(IClientStreamWriter<byte[]> requests, byte[] request)
    {
        try
        {
            await requests.WriteAsync(request);
            await requests.CompleteAsync();
        }
        catch (RpcException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }
}
