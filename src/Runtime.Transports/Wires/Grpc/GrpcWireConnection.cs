using System.Runtime.CompilerServices;
using Grpc.Core;
using Grpc.Net.Client;
using Runtime.Contracts.V1;
using Runtime.Transports.Destinations;

namespace Runtime.Transports.Wires.Grpc;

/// <summary>
/// A <c>grpc</c> wire: one long-lived bidirectional <c>SinkService.Deliver</c> stream on its own channel.
/// Deliveries go out as requests; the destination answers each with a response carrying the same delivery id.
/// </summary>
internal sealed class GrpcWireConnection : DuplexWireConnection
{
    private static readonly WriteOptions BufferHint = new(WriteFlags.BufferHint);
    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<DeliverRequest, DeliverResponse> _call;

    private GrpcWireConnection(GrpcChannel channel)
    {
        _channel = channel;
        _call = new SinkService.SinkServiceClient(channel).Deliver(cancellationToken: Lifetime);
        StartLoops();
    }

    /// <summary>Opens the channel (TCP and HTTP/2 handshake) and then the stream.</summary>
    public static async Task<IWireConnection> ConnectAsync(
        WireDefinition wire, TransportOptions options, CancellationToken cancellationToken)
    {
        var channel = GrpcChannel.ForAddress(wire.Address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = options.ConnectTimeout,
                KeepAlivePingDelay = options.KeepAliveInterval,
                KeepAlivePingTimeout = options.KeepAliveInterval,
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                // One stream per wire: a second connection would only split it.
                EnableMultipleHttp2Connections = false,
            },
            MaxSendMessageSize = options.MaxMessageBytes,
            MaxReceiveMessageSize = options.MaxMessageBytes,
            DisposeHttpClient = true,
        });
        try
        {
            await WaitUntilReadyAsync(channel, wire.Address, cancellationToken);
            return new GrpcWireConnection(channel);
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    // ConnectAsync alone would keep retrying inside the channel while the destination is down; the manager owns
    // retries (with backoff and reported state), so the first TRANSIENT_FAILURE ends the dial.
    private static async Task WaitUntilReadyAsync(GrpcChannel channel, string address, CancellationToken cancellationToken)
    {
        var connecting = channel.ConnectAsync(cancellationToken);
        var state = channel.State;
        while (state != ConnectivityState.Ready)
        {
            if (state is ConnectivityState.TransientFailure or ConnectivityState.Shutdown)
            {
                throw new IOException($"could not open an HTTP/2 connection to {address}");
            }

            await Task.WhenAny(connecting, channel.WaitForStateChangedAsync(state, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            state = channel.State;
        }
    }

    /// <inheritdoc />
    protected override async ValueTask WriteAsync(DeliverRequest request, bool moreQueued, CancellationToken cancellationToken)
    {
        _call.RequestStream.WriteOptions = moreQueued ? BufferHint : null;
        await _call.RequestStream.WriteAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<DeliverResponse> ReadAllAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await _call.ResponseStream.MoveNext(cancellationToken))
        {
            yield return _call.ResponseStream.Current;
        }
    }

    /// <inheritdoc />
    protected override ValueTask CloseTransportAsync()
    {
        _call.Dispose();
        _channel.Dispose();
        return ValueTask.CompletedTask;
    }
}
