using System.Buffers.Binary;

namespace Runtime.Core.Inputs;

/// <summary>
/// Server-assigned ids: UUID version 7 (RFC 9562: Unix milliseconds, then 74 more bits), so ids sort by creation time.
/// <see cref="ForPosition"/> puts the input's position in the runtime's accept order into the last 62 bits (RFC 9562
/// allows a counter there), so the journal finds an input from its id alone: no index row per input.
/// The 12 bits between come from <see cref="Random.Shared"/> rather than the cryptographic source
/// <see cref="Guid.CreateVersion7(DateTimeOffset)"/> uses: ids are identifiers, not secrets, and the secure source
/// cost about a tenth of the accept path's CPU in a profile.
/// </summary>
public static class TimeOrderedId
{
    private const ulong PositionMask = (1UL << 62) - 1;

    /// <summary>The version 7 id of the input at <paramref name="position"/>, accepted at <paramref name="time"/>.</summary>
    public static string ForPosition(DateTimeOffset time, long position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes.Slice(6, 2));
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], (ulong)position & PositionMask);
        return Format(bytes, time);
    }

    /// <summary>
    /// The position <see cref="ForPosition"/> put into <paramref name="id"/>; false for any other text (the caller
    /// still checks that the input at that position has this id: a client may choose any id).
    /// </summary>
    public static bool TryReadPosition(string id, out long position)
    {
        position = 0;
        if (id.Length != 36 || !Guid.TryParseExact(id, "D", out var guid))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        guid.TryWriteBytes(bytes, bigEndian: true, out _);
        if (bytes[6] >> 4 != 7 || bytes[8] >> 6 != 2)
        {
            return false;
        }

        position = (long)(BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]) & PositionMask);
        return true;
    }

    private static string Format(Span<byte> bytes, DateTimeOffset time)
    {
        var milliseconds = (ulong)time.ToUnixTimeMilliseconds();
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)(milliseconds >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(bytes[2..], (uint)milliseconds);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F)); // version 7
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F)); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
