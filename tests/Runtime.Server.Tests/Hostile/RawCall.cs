using Grpc.Core;
using Grpc.Net.Client;

namespace Runtime.Server.Tests.Hostile;

/// <summary>
/// How one raw call ended: its status (OK when it ended well), trailers, the sizes it received, and whether the
/// client ended it (enough messages read, or its time bound passed) rather than the server.
/// </summary>
public sealed record RawAnswer(Status Status, Metadata Trailers, int Messages, int LargestMessage, RpcException? Error, bool EndedByClient = false);

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
        var read = new Counts();
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    read.Add((await invoker.AsyncUnaryCall(method, null, options, request)).Length);
                    break;
                case MethodType.ClientStreaming:
                {
                    using var call = invoker.AsyncClientStreamingCall(method, null, options);
                    await WriteQuietlyAsync(call.RequestStream, request);
                    read.Add((await call.ResponseAsync).Length);
                    break;
                }

                case MethodType.ServerStreaming:
                {
                    using var call = invoker.AsyncServerStreamingCall(method, null, options, request);
                    await ReadAsync(call.ResponseStream, maxMessages, cancel, read);
                    return new RawAnswer(call.GetStatus(), call.GetTrailers(), read.Messages, read.Largest, null);
                }

                default:
                {
                    using var call = invoker.AsyncDuplexStreamingCall(method, null, options);
                    await WriteQuietlyAsync(call.RequestStream, request);
                    await ReadAsync(call.ResponseStream, maxMessages, cancel, read);
                    return new RawAnswer(call.GetStatus(), call.GetTrailers(), read.Messages, read.Largest, null);
                }
            }

            return new RawAnswer(Status.DefaultSuccess, [], read.Messages, read.Largest, null);
        }
        catch (RpcException e)
        {
            return new RawAnswer(e.Status, e.Trailers, read.Messages, read.Largest, e, cancel.IsCancellationRequested && e.StatusCode == StatusCode.Cancelled);
        }
    }

    private static async Task ReadAsync(IAsyncStreamReader<byte[]> responses, int maxMessages, CancellationTokenSource cancel, Counts read)
    {
        while (await responses.MoveNext(cancel.Token))
        {
            read.Add(responses.Current.Length);
            if (read.Messages >= maxMessages)
            {
                // Enough: an open stream is left by cancelling it, which the caller sees as CANCELLED.
                await cancel.CancelAsync();
            }
        }
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

/// <summary>What a call received so far.</summary>
internal sealed class Counts
{
    public int Messages { get; private set; }

    public int Largest { get; private set; }

    public void Add(int length)
    {
        Messages++;
        Largest = Math.Max(Largest, length);
    }
}
