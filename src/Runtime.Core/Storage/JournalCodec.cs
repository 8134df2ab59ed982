using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Runtime.Core.Delivery;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;

namespace Runtime.Core.Storage;

/// <summary>
/// The bytes of the journal's records, the same for every store: an Accepted record (every new input of a turn, whole)
/// and a list of positions (a run's inputs, as ranges). Varint-framed and versioned by a leading byte, so a store can
/// keep them as one blob per group commit and read one back by offset.
/// </summary>
public static class JournalCodec
{
    private const byte AcceptedVersion = 1;
    private const byte PositionsVersion = 1;

    [Flags]
    private enum Fields : byte
    {
        None = 0,
        GuidId = 1,
        Headers = 2,
        IdempotencyHash = 4,
        ConsumePoint = 8,
        MaxAttempts = 16,
    }

    /// <summary>Writes one Accepted record: <paramref name="inputs"/> at consecutive positions.</summary>
    public static void WriteAccepted(IBufferWriter<byte> output, IReadOnlyList<InputRecord> inputs)
    {
        var w = new RecordWriter(output);
        w.Byte(AcceptedVersion);
        w.Varint((ulong)inputs.Count);
        w.Varint((ulong)inputs[0].Position);
        Span<byte> guid = stackalloc byte[16];
        foreach (var input in inputs)
        {
            var fields = Fields.None;
            if (IsCanonicalGuid(input.InputId, guid))
            {
                fields |= Fields.GuidId;
            }

            if (input.Headers.Count > 0)
            {
                fields |= Fields.Headers;
            }

            if (input.IdempotencyHash is not null)
            {
                fields |= Fields.IdempotencyHash;
            }

            if (input.ConsumePoint is not null)
            {
                fields |= Fields.ConsumePoint;
            }

            if (input.MaxAttempts is not null)
            {
                fields |= Fields.MaxAttempts;
            }

            w.Byte((byte)fields);
            if ((fields & Fields.GuidId) != 0)
            {
                w.Raw(guid);
            }
            else
            {
                w.Text(input.InputId);
            }

            w.Text(input.Kind);
            w.Bytes(input.Payload.Span);
            w.Text(input.ContentType);
            if ((fields & Fields.Headers) != 0)
            {
                w.Varint((ulong)input.Headers.Count);
                foreach (var (name, value) in input.Headers)
                {
                    w.Text(name);
                    w.Text(value);
                }
            }

            w.Text(input.IdempotencyKey);
            if (input.IdempotencyHash is { } hash)
            {
                w.Bytes(hash);
            }

            w.Text(input.SupersessionKey);
            w.Text(input.CoalesceKey);
            w.Varint(ZigZag(input.Priority));
            w.Byte((byte)input.PayloadType);
            if (input.ConsumePoint is { } point)
            {
                w.Byte((byte)point);
            }

            if (input.MaxAttempts is { } attempts)
            {
                w.Varint(ZigZag(attempts));
            }

            w.Varint((ulong)input.CreatedAt.UtcTicks);
        }
    }

    /// <summary>The first position and count of an Accepted record, without decoding its inputs.</summary>
    public static (long FirstPosition, int Count) ReadAcceptedRange(ReadOnlySpan<byte> record)
    {
        var r = new RecordReader(record);
        r.Version(AcceptedVersion);
        var count = (int)r.Varint();
        return ((long)r.Varint(), count);
    }

    /// <summary>
    /// Decodes an Accepted record's inputs whose position <paramref name="wanted"/> accepts (null for all), as they
    /// were accepted (phase ACCEPTED, nothing derived yet). Throws <see cref="InvalidDataException"/> when malformed.
    /// </summary>
    public static List<InputRecord> ReadAccepted(ReadOnlySpan<byte> record, Func<long, bool>? wanted = null)
    {
        var r = new RecordReader(record);
        r.Version(AcceptedVersion);
        var count = (int)r.Varint();
        var position = (long)r.Varint();
        var inputs = new List<InputRecord>(wanted is null ? count : 1);
        for (var i = 0; i < count; i++, position++)
        {
            var fields = (Fields)r.Byte();
            var id = (fields & Fields.GuidId) != 0 ? new Guid(r.Raw(16), bigEndian: true).ToString() : r.Text();
            var kind = r.Text();
            var payload = r.Bytes();
            var contentType = r.Text();
            Dictionary<string, string>? headers = null;
            if ((fields & Fields.Headers) != 0)
            {
                var n = (int)r.Varint();
                headers = new Dictionary<string, string>(n, StringComparer.Ordinal);
                for (var h = 0; h < n; h++)
                {
                    var name = r.Text();
                    headers[name] = r.Text();
                }
            }

            var idempotencyKey = r.Text();
            var hash = (fields & Fields.IdempotencyHash) != 0 ? r.Bytes().ToArray() : null;
            var supersessionKey = r.Text();
            var coalesceKey = r.Text();
            var priority = UnZigZag(r.Varint());
            var payloadType = (PayloadType)r.Byte();
            ConsumePoint? consumePoint = (fields & Fields.ConsumePoint) != 0 ? (ConsumePoint)r.Byte() : null;
            int? maxAttempts = (fields & Fields.MaxAttempts) != 0 ? UnZigZag(r.Varint()) : null;
            var created = new DateTimeOffset((long)r.Varint(), TimeSpan.Zero);
            if (wanted is not null && !wanted(position))
            {
                continue;
            }

            inputs.Add(new InputRecord
            {
                InputId = id,
                Position = position,
                Kind = kind,
                Payload = payload.ToArray(),
                ContentType = contentType,
                Headers = headers ?? (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(),
                IdempotencyKey = idempotencyKey,
                IdempotencyHash = hash,
                SupersessionKey = supersessionKey,
                CoalesceKey = coalesceKey,
                Priority = priority,
                PayloadType = payloadType,
                ConsumePoint = consumePoint,
                MaxAttempts = maxAttempts,
                Phase = InputPhase.Accepted,
                CreatedAt = created,
                UpdatedAt = created,
            });
        }

        return inputs;
    }

    /// <summary>Writes positions in their order as runs of consecutive ascending ones (one range for a FIFO run).</summary>
    public static byte[] WritePositions(IReadOnlyList<long> positions)
    {
        var buffer = new ArrayBufferWriter<byte>(16);
        var w = new RecordWriter(buffer);
        w.Byte(PositionsVersion);
        var i = 0;
        while (i < positions.Count)
        {
            var start = positions[i];
            var length = 1;
            while (i + length < positions.Count && positions[i + length] == start + length)
            {
                length++;
            }

            w.Varint((ulong)start);
            w.Varint((ulong)length);
            i += length;
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads what <see cref="WritePositions"/> wrote.</summary>
    public static List<long> ReadPositions(ReadOnlySpan<byte> data)
    {
        var r = new RecordReader(data);
        r.Version(PositionsVersion);
        var positions = new List<long>();
        while (!r.AtEnd)
        {
            var start = (long)r.Varint();
            var length = (long)r.Varint();
            for (var p = start; p < start + length; p++)
            {
                positions.Add(p);
            }
        }

        return positions;
    }

    private static bool IsCanonicalGuid(string id, Span<byte> bytes) =>
        id.Length == 36 && Guid.TryParseExact(id, "D", out var guid) && guid.TryWriteBytes(bytes, bigEndian: true, out _) &&
        string.Equals(guid.ToString(), id, StringComparison.Ordinal);

    private static ulong ZigZag(int value) => (ulong)(uint)((value << 1) ^ (value >> 31));

    private static int UnZigZag(ulong value) => (int)((uint)(value >> 1) ^ (uint)-(int)(value & 1));
}
