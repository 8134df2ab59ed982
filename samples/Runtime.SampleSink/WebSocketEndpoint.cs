using System.Buffers;
using System.Net.WebSockets;
using Google.Protobuf;
using Runtime.Contracts.V1;

namespace Runtime.SampleSink;

/// <summary>
/// The WebSocket endpoint: each binary message is one protobuf <see cref="DeliverRequest"/>; each answer one binary
/// <see cref="DeliverResponse"/> with the same <c>delivery_id</c>.
/// </summary>
public static class WebSocketEndpoint
{
    private const int MaxMessageBytes = 16 * 1024 * 1024;

    /// <summary>Accepts one WebSocket and serves it until it closes or the sink stops.</summary>
    public static async Task HandleAsync(
        HttpContext context, DeliveryProcessor processor, SinkLedger ledger, IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        ledger.Opened("websocket");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var message = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(message.GetMemory(4096), stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", stop.Token);
                    return;
                }

                message.Advance(result.Count);
                if (result.MessageType != WebSocketMessageType.Binary || message.WrittenCount > MaxMessageBytes)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.InvalidMessageType, "one binary protobuf message per frame", stop.Token);
                    return;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                var request = DeliverRequest.Parser.ParseFrom(message.WrittenSpan);
                message.ResetWrittenCount();
                var answer = await processor.ProcessAsync(request, "websocket", stop.Token);
                if (answer.Drop)
                {
                    socket.Abort();
                    return;
                }

                await socket.SendAsync(answer.Response!.ToByteArray(), WebSocketMessageType.Binary, true, stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or InvalidProtocolBufferException)
        {
            // The peer went away, sent garbage, or the sink is stopping: drop the connection.
            socket.Abort();
        }
        finally
        {
            ledger.Closed("websocket");
        }
    }
}
