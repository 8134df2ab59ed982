using System.Buffers;
using Runtime.Core.Delivery;
using Runtime.Core.Events;
using Runtime.Core.Inputs;
using Runtime.Core.Runtimes;

namespace Runtime.Core.Storage;

/// <summary>
/// The bytes of a group commit's runtime events, the same for every store: the events in sequence order, each with
/// only the fields it has. Their sequences are not stored: a store keeps the first one next to the bytes and the others
/// follow one by one.
/// </summary>
public static class EventCodec
{
    private const byte Version = 1;

    [Flags]
    private enum Fields : ushort
    {
        None = 0,
        InputId = 1 << 0,
        RunId = 1 << 1,
        Destination = 1 << 2,
        InputKind = 1 << 3,
        FromPhase = 1 << 4,
        ToPhase = 1 << 5,
        FromState = 1 << 6,
        ToState = 1 << 7,
        PayloadType = 1 << 8,
        Latency = 1 << 9,
        Reason = 1 << 10,
        Attributes = 1 << 11,
    }

    /// <summary>Writes <paramref name="events"/> as one record.</summary>
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<RuntimeEvent> events)
    {
        var w = new RecordWriter(output);
        w.Byte(Version);
        w.Varint((ulong)events.Count);
        foreach (var e in events)
        {
            var fields = Present(e);
            w.Byte((byte)e.Kind);
            w.Varint((ulong)fields);
            w.Varint((ulong)e.Time.UtcTicks);
            w.Text(e.RuntimeId);
            if (e.InputId is { } inputId)
            {
                w.Text(inputId);
            }

            if (e.RunId is { } runId)
            {
                w.Text(runId);
            }

            if (e.Destination is { } destination)
            {
                w.Text(destination);
            }

            if (e.InputKind is { } inputKind)
            {
                w.Text(inputKind);
            }

            foreach (var value in (ReadOnlySpan<int?>)[(int?)e.FromPhase, (int?)e.ToPhase, (int?)e.FromState, (int?)e.ToState, (int?)e.PayloadType])
            {
                if (value is { } present)
                {
                    w.Byte((byte)present);
                }
            }
            w.Varint((ulong)e.Bytes);
            if (e.Latency is { } latency)
            {
                w.Varint((ulong)Math.Max(0, latency.Ticks));
            }

            w.Varint((ulong)(uint)e.Attempt);
            if (e.Reason is { } reason)
            {
                w.Text(reason);
            }

            if (e.Attributes is { Count: > 0 } attributes)
            {
                w.Varint((ulong)attributes.Count);
                foreach (var (key, value) in attributes)
                {
                    w.Text(key);
                    w.Text(value);
                }
            }
        }
    }

    /// <summary>The number of events in a record, without decoding them.</summary>
    public static int Count(ReadOnlySpan<byte> record)
    {
        var r = new RecordReader(record);
        r.Version(Version);
        return checked((int)r.Varint());
    }

    /// <summary>Reads a record back; <paramref name="skip"/> leading events are passed over without being built.</summary>
    public static List<RuntimeEvent> Read(ReadOnlySpan<byte> record, int skip = 0, int max = int.MaxValue)
    {
        var r = new RecordReader(record);
        r.Version(Version);
        var count = checked((int)r.Varint());
        var events = new List<RuntimeEvent>(Math.Clamp(count - skip, 0, Math.Min(max, 1024)));
        for (var i = 0; i < count && events.Count < max; i++)
        {
            var kind = (RuntimeEventKind)r.Byte();
            var fields = (Fields)r.Varint();
            var time = new DateTimeOffset((long)r.Varint(), TimeSpan.Zero);
            var runtimeId = r.Text();
            var inputId = Has(fields, Fields.InputId) ? r.Text() : null;
            var runId = Has(fields, Fields.RunId) ? r.Text() : null;
            var destination = Has(fields, Fields.Destination) ? r.Text() : null;
            var inputKind = Has(fields, Fields.InputKind) ? r.Text() : null;
            var fromPhase = Has(fields, Fields.FromPhase) ? (InputPhase?)r.Byte() : null;
            var toPhase = Has(fields, Fields.ToPhase) ? (InputPhase?)r.Byte() : null;
            var fromState = Has(fields, Fields.FromState) ? (RuntimeState?)r.Byte() : null;
            var toState = Has(fields, Fields.ToState) ? (RuntimeState?)r.Byte() : null;
            var payloadType = Has(fields, Fields.PayloadType) ? (PayloadType?)r.Byte() : null;
            var bytes = (long)r.Varint();
            var latency = Has(fields, Fields.Latency) ? TimeSpan.FromTicks((long)r.Varint()) : (TimeSpan?)null;
            var attempt = (int)(uint)r.Varint();
            var reason = Has(fields, Fields.Reason) ? r.Text() : null;
            Dictionary<string, string>? attributes = null;
            if (Has(fields, Fields.Attributes))
            {
                var n = checked((int)r.Varint());
                attributes = new Dictionary<string, string>(n, StringComparer.Ordinal);
                for (var a = 0; a < n; a++)
                {
                    attributes[r.Text()] = r.Text();
                }
            }

            if (i < skip)
            {
                continue;
            }

            events.Add(new RuntimeEvent
            {
                Kind = kind,
                Time = time,
                RuntimeId = runtimeId,
                InputId = inputId,
                RunId = runId,
                Destination = destination,
                InputKind = inputKind,
                FromPhase = fromPhase,
                ToPhase = toPhase,
                FromState = fromState,
                ToState = toState,
                PayloadType = payloadType,
                Bytes = bytes,
                Latency = latency,
                Attempt = attempt,
                Reason = reason,
                Attributes = attributes,
            });
        }

        return events;
    }

    private static Fields Present(RuntimeEvent e)
    {
        var fields = Fields.None;
        fields |= e.InputId is null ? 0 : Fields.InputId;
        fields |= e.RunId is null ? 0 : Fields.RunId;
        fields |= e.Destination is null ? 0 : Fields.Destination;
        fields |= e.InputKind is null ? 0 : Fields.InputKind;
        fields |= e.FromPhase is null ? 0 : Fields.FromPhase;
        fields |= e.ToPhase is null ? 0 : Fields.ToPhase;
        fields |= e.FromState is null ? 0 : Fields.FromState;
        fields |= e.ToState is null ? 0 : Fields.ToState;
        fields |= e.PayloadType is null ? 0 : Fields.PayloadType;
        fields |= e.Latency is null ? 0 : Fields.Latency;
        fields |= e.Reason is null ? 0 : Fields.Reason;
        fields |= e.Attributes is { Count: > 0 } ? Fields.Attributes : 0;
        return fields;
    }

    private static bool Has(Fields fields, Fields field) => (fields & field) != 0;
}
