using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.Observation.Events;
using Runtime.Server.Services;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// A pre-encoded variant of WatchRuntimeEvents, served beside the real one (under <see cref="ServiceName"/>, same
/// messages) over the same event stream, to measure what encoding once buys: each event is serialised once (cached on
/// the event) and every subscriber's response is composed by copying those bytes. The real service maps each event to
/// proto once but serialises every response per subscriber.
/// </summary>
public static class FanOutEventWatch
{
    /// <summary>The bench-only service name (clients call it with the contract's messages).</summary>
    public const string ServiceName = "runtime.bench.PreEncodedEventWatch";

    private static readonly Method<WatchRuntimeEventsRequest, EncodedMessage> WatchMethod = new(
        MethodType.ServerStreaming,
        ServiceName,
        "WatchRuntimeEvents",
        Marshallers.Create(r => r.ToByteArray(), WatchRuntimeEventsRequest.Parser.ParseFrom),
        EncodedMessage.Marshaller);

    /// <summary>Registers the one method.</summary>
    public static void Bind(ServiceBinderBase binder, ServiceBase? service) =>
        binder.AddMethod(WatchMethod, service is null ? null : service.WatchRuntimeEvents);

    /// <summary>A response carrying <paramref name="events"/>: field 1 (batch) holding each event's cached field-1 entry.</summary>
    public static EncodedMessage Compose(IReadOnlyList<StreamedEvent> events)
    {
        var entries = new byte[events.Count][];
        var length = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            var e = events[i];
            entries[i] = e.GetOrAddEncoded(() => Entry(e));
            length += entries[i].Length;
        }

        var bytes = new byte[1 + CodedOutputStream.ComputeLengthSize(length) + length];
        bytes[0] = 0x0A; // field 1, length-delimited
        var at = 1 + WriteVarint(bytes, 1, (uint)length);
        foreach (var entry in entries)
        {
            entry.CopyTo(bytes, at);
            at += entry.Length;
        }

        return new EncodedMessage(bytes);
    }

    /// <summary>The proto form of a domain event.</summary>
    public static RuntimeEvent ToProto(StreamedEvent streamed)
    {
        var e = streamed.Event;
        var proto = new RuntimeEvent
        {
            Sequence = (ulong)streamed.Sequence,
            Time = Timestamp.FromDateTimeOffset(e.Time),
            Kind = ByName<RuntimeEventKind>(e.Kind),
            RuntimeId = e.RuntimeId,
            InputId = e.InputId ?? "",
            RunId = e.RunId ?? "",
            Destination = e.Destination ?? "",
            InputKind = e.InputKind ?? "",
            Bytes = (ulong)Math.Max(0, e.Bytes),
            Attempt = (uint)Math.Max(0, e.Attempt),
            Reason = e.Reason ?? "",
        };
        if (e.FromPhase is { } from)
        {
            proto.FromPhase = ByName<InputPhase>(from);
        }

        if (e.ToPhase is { } to)
        {
            proto.ToPhase = ByName<InputPhase>(to);
        }

        if (e.FromState is { } fromState)
        {
            proto.FromState = ByName<RuntimeState>(fromState);
        }

        if (e.ToState is { } toState)
        {
            proto.ToState = ByName<RuntimeState>(toState);
        }

        if (e.PayloadType is { } lane)
        {
            proto.PayloadType = ByName<PayloadType>(lane);
        }

        if (e.Latency is { } latency)
        {
            proto.Latency = Duration.FromTimeSpan(latency);
        }

        foreach (var (key, value) in e.Attributes ?? new Dictionary<string, string>())
        {
            proto.Attributes[key] = value;
        }

        return proto;
    }

    private static byte[] Entry(StreamedEvent e) => new RuntimeEventBatch { Events = { ToProto(e) } }.ToByteArray();

    private static int WriteVarint(byte[] into, int at, uint value)
    {
        var written = 0;
        while (value >= 0x80)
        {
            into[at + written++] = (byte)(value | 0x80);
            value >>= 7;
        }

        into[at + written++] = (byte)value;
        return written;
    }

    private static TProto ByName<TProto>(System.Enum value)
        where TProto : struct, System.Enum =>
        System.Enum.TryParse<TProto>(value.ToString(), out var mapped) ? mapped : default;

    /// <summary>The base of the stand-in service.</summary>
    [BindServiceMethod(typeof(FanOutEventWatch), nameof(Bind))]
    public abstract class ServiceBase
    {
        /// <summary>Streams runtime events, pre-encoded.</summary>
        public abstract Task WatchRuntimeEvents(
            WatchRuntimeEventsRequest request, IServerStreamWriter<EncodedMessage> responseStream, ServerCallContext context);
    }
}

/// <summary>The stand-in WatchRuntimeEvents: the event stream's watch, written with one pending write per stream.</summary>
public sealed class FanOutEventWatchService(EventStream stream) : FanOutEventWatch.ServiceBase
{
    /// <inheritdoc />
    public override async Task WatchRuntimeEvents(
        WatchRuntimeEventsRequest request, IServerStreamWriter<EncodedMessage> responseStream, ServerCallContext context)
    {
        var watch = new EventWatchRequest
        {
            AfterSequence = request.HasAfterSequence ? (long)request.AfterSequence : null,
            MaxEvents = request.MaxEvents,
        };
        var writes = 0;
        try
        {
            await foreach (var item in stream.Watch(watch, context.CancellationToken))
            {
                var message = item switch
                {
                    EventBatch batch => FanOutEventWatch.Compose(batch.Events),
                    EventGap gap => Encode(new WatchRuntimeEventsResponse
                    {
                        Gap = new Gap { Reason = GapReason.SlowSubscriber, After = (ulong)gap.FromSequence - 1, ResumeAt = (ulong)gap.ToSequence + 1 },
                    }),
                    EventHeartbeat beat => Encode(new WatchRuntimeEventsResponse
                    {
                        Heartbeat = new Heartbeat { Time = Timestamp.FromDateTimeOffset(beat.Time), Position = (ulong)beat.Sequence },
                    }),
                    _ => throw new InvalidOperationException(item.GetType().Name),
                };
                await responseStream.WriteAsync(message, context.CancellationToken);
                if (++writes % 8 == 0)
                {
                    await Task.Yield();
                }
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The subscriber went away.
        }
    }

    private static EncodedMessage Encode(IMessage message) => new(message.ToByteArray());
}
