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
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = Entry(events[i]);
        }

        return Compose(entries, 0, entries.Length);
    }

    /// <summary>
    /// Responses carrying <paramref name="events"/> in order, each at most <paramref name="maxBytes"/> (an event that
    /// alone is larger still goes out alone: write-time limits on events keep that from happening).
    /// </summary>
    public static IReadOnlyList<EncodedMessage> Batches(IReadOnlyList<StreamedEvent> events, int maxBytes)
    {
        var entries = new byte[events.Count][];
        long total = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = Entry(events[i]);
            total += entries[i].Length;
        }

        // Room for the response's own tag and length.
        var budget = maxBytes - 16;
        if (total <= budget)
        {
            return [Compose(entries, 0, entries.Length)];
        }

        var messages = new List<EncodedMessage>();
        var (start, length) = (0, 0L);
        for (var i = 0; i < entries.Length; i++)
        {
            if (i > start && length + entries[i].Length > budget)
            {
                messages.Add(Compose(entries, start, i - start));
                (start, length) = (i, 0);
            }

            length += entries[i].Length;
        }

        messages.Add(Compose(entries, start, entries.Length - start));
        return messages;
    }

    private static EncodedMessage Compose(byte[][] entries, int start, int count)
    {
        var length = 0;
        for (var i = start; i < start + count; i++)
        {
            length += entries[i].Length;
        }

        var bytes = new byte[CodedOutputStream.ComputeRawVarint32Size(EventsTag) + CodedOutputStream.ComputeLengthSize(length) + length];
        var header = new CodedOutputStream(bytes);
        header.WriteTag(EventsTag);
        header.WriteLength(length);
        var at = (int)header.Position;
        for (var i = start; i < start + count; i++)
        {
            entries[i].CopyTo(bytes, at);
            at += entries[i].Length;
        }

        return new EncodedMessage(bytes);
    }

    /// <summary>A response that is not a batch (gap or heartbeat), serialised for one write.</summary>
    public static EncodedMessage Single(WatchRuntimeEventsResponse response) => new(response.ToByteArray());

    /// <summary>The event's RuntimeEventBatch entry (tag, length, RuntimeEvent), serialised once and shared.</summary>
    public static byte[] Entry(StreamedEvent streamed) =>
        streamed.GetOrAddEncoded(() => new RuntimeEventBatch { Events = { streamed.ToProto() } }.ToByteArray());
}
