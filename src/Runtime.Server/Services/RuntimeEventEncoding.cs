using Google.Protobuf;
using Runtime.Contracts.V1;
using Runtime.Observation.Events;
using Runtime.Server.Mapping;

namespace Runtime.Server.Services;

/// <summary>
/// WatchRuntimeEventsResponse bytes composed from per-event bytes. Each event is serialised once, the first time any
/// watcher sends it, as its entry of a <see cref="RuntimeEventBatch"/> (field 1, length-delimited) and cached on the
/// event; a batch for one watcher is then a header followed by those entries copied back to back. Protobuf's
/// repeated fields are concatenations of their entries, so the result is what serialising the message would give.
/// </summary>
public static class RuntimeEventEncoding
{
    /// <summary>WatchRuntimeEventsResponse.events (field 1) and RuntimeEventBatch.events (field 1).</summary>
    private static readonly uint EventsTag = WireFormat.MakeTag(1, WireFormat.WireType.LengthDelimited);

    /// <summary>A response carrying <paramref name="events"/> as its batch.</summary>
    public static EncodedMessage Batch(IReadOnlyList<StreamedEvent> events)
    {
        var entries = new byte[events.Count][];
        var length = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = Entry(events[i]);
            length += entries[i].Length;
        }

        var bytes = new byte[CodedOutputStream.ComputeRawVarint32Size(EventsTag) + CodedOutputStream.ComputeLengthSize(length) + length];
        var header = new CodedOutputStream(bytes);
        header.WriteTag(EventsTag);
        header.WriteLength(length);
        var at = (int)header.Position;
        foreach (var entry in entries)
        {
            entry.CopyTo(bytes, at);
            at += entry.Length;
        }

        return new EncodedMessage(bytes);
    }

    /// <summary>A response that is not a batch (gap or heartbeat), serialised for one write.</summary>
    public static EncodedMessage Single(WatchRuntimeEventsResponse response) => new(response.ToByteArray());

    /// <summary>The event's RuntimeEventBatch entry (tag, length, RuntimeEvent), serialised once and shared.</summary>
    public static byte[] Entry(StreamedEvent streamed) =>
        streamed.GetOrAddEncoded(() => new RuntimeEventBatch { Events = { streamed.ToProto() } }.ToByteArray());
}
