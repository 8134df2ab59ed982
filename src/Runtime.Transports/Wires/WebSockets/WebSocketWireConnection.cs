using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Runtime.Contracts.V1;
using Runtime.Transports.Destinations;

namespace Runtime.Transports.Wires.WebSockets;

/// <summary>
/// A <c>websocket</c> wire. Framing: every WebSocket <em>binary</em> message (which may span several frames) carries
/// exactly one protobuf-encoded message, with no extra envelope. The client sends <see cref="DeliverRequest"/>s;
/// the destination answers each with one <see cref="DeliverResponse"/> carrying the same <c>delivery_id</c>, in any
/// order. Text messages are a protocol error; a close message ends the connection.
/// </summary>
internal sealed class WebSocketWireConnection : DuplexWireConnection
{
    private readonly ClientWebSocket _socket;
    private readonly int _maxMessageBytes;

    private WebSocketWireConnection(ClientWebSocket socket, int maxMessageBytes)
    {
        _socket = socket;
        _maxMessageBytes = maxMessageBytes;
        StartLoops();
    }

    /// <summary>Opens the WebSocket (HTTP upgrade handshake).</summary>
    public static async Task<IWireConnection> ConnectAsync(
        WireDefinition wire, TransportOptions options, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = options.KeepAliveInterval;
        try
        {
            await socket.ConnectAsync(new Uri(wire.Address), cancellationToken);
            return new WebSocketWireConnection(socket, options.MaxMessageBytes);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    protected override async ValueTask WriteAsync(DeliverRequest request, bool moreQueued, CancellationToken cancellationToken) =>
        await _socket.SendAsync(request.ToByteArray(), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);

    /// <inheritdoc />
    protected override async IAsyncEnumerable<DeliverResponse> ReadAllAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var message = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var result = await _socket.ReceiveAsync(message.GetMemory(4096), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                yield break;
            }

            if (result.MessageType != WebSocketMessageType.Binary)
            {
                throw new InvalidDataException("the destination sent a text message; answers are binary protobuf");
            }

            message.Advance(result.Count);
            if (message.WrittenCount > _maxMessageBytes)
            {
                throw new InvalidDataException($"an answer exceeded {_maxMessageBytes} bytes");
            }

            if (result.EndOfMessage)
            {
                yield return DeliverResponse.Parser.ParseFrom(message.WrittenSpan);
                message.ResetWrittenCount();
            }
        }
    }

    /// <inheritdoc />
    protected override async ValueTask CloseTransportAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            // A polite close when the peer is there, bounded so a silent peer cannot hold up shutdown.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closed", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The connection is going away regardless.
            }
        }

        _socket.Abort();
        _socket.Dispose();
    }
}
