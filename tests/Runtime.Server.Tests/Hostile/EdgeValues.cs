using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace Runtime.Server.Tests.Hostile;

/// <summary>
/// Builds request messages of any type from its descriptor, field by field, out of edge values: empty, oversized,
/// negative, maximum integers, unknown enum numbers, far and sub-tick durations and timestamps, names of real things
/// (runtimes in every lifecycle state, a destination, an observer). Seeded, so every run sends the same requests.
/// </summary>
public sealed class EdgeValues(Random random, IReadOnlyList<string> names)
{
    private const int MaxDepth = 3;

    /// <summary>A message of <paramref name="descriptor"/> with edge values in some of its fields.</summary>
    public IMessage Message(MessageDescriptor descriptor, int depth = 0)
    {
        if (descriptor.FullName == Duration.Descriptor.FullName)
        {
            return Pick(Durations);
        }

        if (descriptor.FullName == Timestamp.Descriptor.FullName)
        {
            return Pick(Timestamps);
        }

        var message = (IMessage)Activator.CreateInstance(descriptor.ClrType)!;
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            if (random.NextDouble() > 0.6 || (field.FieldType == FieldType.Message && depth >= MaxDepth))
            {
                continue;
            }

            if (field.IsMap)
            {
                var map = (IDictionary)field.Accessor.GetValue(message);
                var key = field.MessageType.FindFieldByNumber(1);
                var value = field.MessageType.FindFieldByNumber(2);
                for (var i = random.Next(3); i > 0; i--)
                {
                    map[Value(key, depth)] = Value(value, depth);
                }
            }
            else if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                for (var i = random.Next(4); i > 0; i--)
                {
                    list.Add(Value(field, depth));
                }
            }
            else
            {
                field.Accessor.SetValue(message, Value(field, depth));
            }
        }

        return message;
    }

    /// <summary><paramref name="bytes"/> with a few seeded corruptions: flipped bytes, a cut, an inserted run.</summary>
    public byte[] Corrupt(byte[] bytes)
    {
        var copy = bytes.ToList();
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            switch (random.Next(3))
            {
                case 0 when copy.Count > 0:
                    copy[random.Next(copy.Count)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when copy.Count > 1:
                    copy.RemoveRange(random.Next(copy.Count), 1);
                    break;
                default:
                    copy.InsertRange(random.Next(copy.Count + 1), Enumerable.Range(0, random.Next(1, 6)).Select(_ => (byte)random.Next(256)));
                    break;
            }
        }

        return [.. copy];
    }

    private static readonly Duration[] Durations =
    [
        new() { Seconds = 0 },
        new() { Nanos = 50 },
        new() { Seconds = 1 },
        new() { Seconds = Duration.MaxSeconds },
        new() { Seconds = -1 },
        new() { Nanos = 1_000_000_000 },
        new() { Seconds = 1, Nanos = -1 },
        new() { Seconds = long.MaxValue },
    ];

    private static readonly Timestamp[] Timestamps =
    [
        new() { Seconds = 0 },
        Timestamp.FromDateTimeOffset(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)),
        new() { Seconds = long.MaxValue },
        new() { Seconds = long.MinValue },
        new() { Nanos = 1_000_000_000 },
        new() { Seconds = -62_135_596_801 },
    ];

    private object Value(FieldDescriptor field, int depth) => field.FieldType switch
    {
        FieldType.String => String(),
        FieldType.Bytes => ByteString.CopyFrom(new byte[Pick([0, 1, 64 * 1024])]),
        FieldType.Bool => random.Next(2) == 0,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => Pick([0, 1, -1, 3, int.MaxValue, int.MinValue]),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Pick([0L, 1L, -1L, 5L, long.MaxValue, long.MinValue]),
        FieldType.UInt32 or FieldType.Fixed32 => Pick([0u, 1u, 3u, 1000u, uint.MaxValue]),
        FieldType.UInt64 or FieldType.Fixed64 => Pick([0UL, 1UL, 3UL, (ulong)long.MaxValue + 1, ulong.MaxValue]),
        FieldType.Double => Pick([0d, 1d, -1d, 1e308, double.NaN, double.PositiveInfinity, double.Epsilon]),
        FieldType.Float => Pick([0f, 1f, -1f, float.MaxValue, float.NaN]),
        FieldType.Enum => System.Enum.ToObject(field.EnumType.ClrType,
            Pick([.. field.EnumType.Values.Select(v => v.Number), 999, -1])),
        FieldType.Message => Message(field.MessageType, depth + 1),
        _ => throw new NotSupportedException(field.FieldType.ToString()),
    };

    private string String() => random.Next(10) switch
    {
        < 4 => Pick(names),
        4 => "",
        5 => new string('x', Pick([129, 300, 5000])),
        6 => Pick(["bad id!", "ctl\u0001char", "é💥", "../escape", "runtime == \"fz-idle\"", "latency_ms > ", "*", "http://127.0.0.1:9/"]),
        7 => "fz-" + random.Next(1000),
        _ => new string(Enumerable.Range(0, random.Next(1, 12)).Select(_ => (char)random.Next(0x20, 0x7F)).ToArray()),
    };

    private T Pick<T>(IReadOnlyList<T> values) => values[random.Next(values.Count)];
}
