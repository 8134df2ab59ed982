using System.Buffers;
using System.Text;

namespace Runtime.Core.Storage;

// The byte-level framing every journal record uses: varints, length-prefixed bytes and UTF-8 text.

/// <summary>Writes a record's fields.</summary>
internal ref struct RecordWriter(IBufferWriter<byte> output)
{
    public void Byte(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    public void Varint(ulong value)
    {
        var span = output.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        output.Advance(n);
    }

    public void Raw(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    public void Bytes(scoped ReadOnlySpan<byte> bytes)
    {
        Varint((ulong)bytes.Length);
        Raw(bytes);
    }

    public void Text(string text)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var span = output.GetSpan(max + 5);
        var written = Encoding.UTF8.GetBytes(text, span[5..]);
        var prefix = VarintLength((ulong)written);
        if (prefix != 5)
        {
            span.Slice(5, written).CopyTo(span[prefix..]);
        }

        WriteVarint(span, (ulong)written);
        output.Advance(prefix + written);
    }

    private static int VarintLength(ulong value)
    {
        var n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }

        return n;
    }

    private static void WriteVarint(Span<byte> span, ulong value)
    {
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n] = (byte)value;
    }
}

/// <summary>Reads a record's fields; throws <see cref="InvalidDataException"/> on bytes no writer made.</summary>
internal ref struct RecordReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _at;

    public readonly bool AtEnd => _at >= _data.Length;

    public void Version(byte expected)
    {
        var version = Byte();
        if (version != expected)
        {
            throw new InvalidDataException($"journal record version {version}, expected {expected}");
        }
    }

    public byte Byte() => _at < _data.Length ? _data[_at++] : throw Truncated();

    public ulong Varint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Byte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("journal record has an overlong varint");
    }

    public ReadOnlySpan<byte> Raw(int length)
    {
        if (length < 0 || _at + length > _data.Length)
        {
            throw Truncated();
        }

        var span = _data.Slice(_at, length);
        _at += length;
        return span;
    }

    public ReadOnlySpan<byte> Bytes() => Raw(checked((int)Varint()));

    public string Text() => Encoding.UTF8.GetString(Bytes());

    private static InvalidDataException Truncated() => new("journal record is truncated");
}
