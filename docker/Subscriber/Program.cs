using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Runtime.Contracts.V1;
using Runtime.Subscriber;

// subscriber ADDRESS OBSERVER [MAX_SECONDS]
// Subscribes to one observer with a snapshot first and prints every message as a JSON line. When the stream ends
// (the server dropped a slow subscriber, or restarted), it resubscribes after the last cycle it saw, as a real
// client would; stops after MAX_SECONDS (default 600) so it never runs unbounded.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: subscriber ADDRESS OBSERVER [MAX_SECONDS]");
    return 2;
}

var observer = args[1];
var maxDuration = TimeSpan.FromSeconds(args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 600);
using var stop = new CancellationTokenSource(maxDuration);
using var channel = GrpcChannel.ForAddress(args[0]);
var client = new ObservationService.ObservationServiceClient(channel);
ulong? lastCycle = null;

while (!stop.IsCancellationRequested)
{
    var request = new SubscribeRequest { Observers = { observer }, IncludeSnapshot = true };
    if (lastCycle is { } cycle)
    {
        request.AfterCycleByObserver[observer] = cycle;
    }

    try
    {
        using var call = client.Subscribe(request, cancellationToken: stop.Token);
        await foreach (var message in call.ResponseStream.ReadAllAsync(stop.Token))
        {
            lastCycle = Lines.Write(message) ?? lastCycle;
        }

        Lines.Write(new StreamEnd("end", "OK", ""));
    }
    catch (RpcException e) when (!stop.IsCancellationRequested)
    {
        Lines.Write(new StreamEnd("end", e.StatusCode.ToString(), e.Status.Detail));
        await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        break;
    }
    catch (RpcException) when (stop.IsCancellationRequested)
    {
        break;
    }
}

return 0;

namespace Runtime.Subscriber
{
    /// <summary>A stream ended (with its status); the subscriber resubscribes.</summary>
    internal sealed record StreamEnd(string Type, string Status, string Detail);

    /// <summary>One line of output per stream message: what the test reads back from the container's logs.</summary>
    internal sealed record Line(string Type, string Observer, ulong Cycle, ulong After, ulong ResumeAt, string Reason, int Events, DateTimeOffset At);

    /// <summary>Writes stream messages as JSON lines and tells which cycle the subscriber has reached.</summary>
    internal static class Lines
    {
        private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

        /// <summary>Writes <paramref name="message"/>; returns the cycle it brings the subscriber to, if any.</summary>
        public static ulong? Write(SubscribeResponse message)
        {
            var now = DateTimeOffset.UtcNow;
            var (line, cycle) = message.MessageCase switch
            {
                SubscribeResponse.MessageOneofCase.Snapshot => (new Line("snapshot", message.Snapshot.Observer, message.Snapshot.Cycle, 0, 0, "", 0, now), (ulong?)message.Snapshot.Cycle),
                SubscribeResponse.MessageOneofCase.Batch => (new Line("batch", message.Batch.Observer, message.Batch.Cycle, 0, 0, "", message.Batch.Events.Count, now), message.Batch.Cycle),
                SubscribeResponse.MessageOneofCase.Gap => (new Line("gap", message.Gap.Observer, 0, message.Gap.After, message.Gap.ResumeAt, message.Gap.Reason.ToString(), 0, now), null),
                SubscribeResponse.MessageOneofCase.Heartbeat => (new Line("heartbeat", "", message.Heartbeat.Position, 0, 0, "", 0, now), null),
                SubscribeResponse.MessageOneofCase.Failure => (new Line("failure", message.Failure.Observer, message.Failure.Cycle, 0, 0, message.Failure.Message, 0, now), null),
                _ => (new Line("unknown", "", 0, 0, 0, message.MessageCase.ToString(), 0, now), null),
            };
            Console.WriteLine(JsonSerializer.Serialize(line, Json));
            return cycle;
        }

        /// <summary>Writes the end of a stream.</summary>
        public static void Write(StreamEnd end) => Console.WriteLine(JsonSerializer.Serialize(end, Json));
    }
}
