using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Runtime.Server.Tests.Hostile;

/// <summary>Byte strings that are not a valid protobuf message of any type, and some that are invalid for one type.</summary>
public static class MalformedBytes
{
    /// <summary>Invalid whatever the message type (each breaks the wire format itself).</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Generic { get; } =
    [
        ("field number 0", [0x00, 0x01]),
        ("wire type 7", [0x0F, 0x01]),
        ("wire type 6", [0x0E]),
        ("unterminated group", [0x0B, 0x10, 0x01]),
        ("end group without start", [0x0C]),
        ("truncated length-delimited field", [0x0A, 0x05, 0x61]),
        ("length beyond the message (2 GiB)", [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00]),
        ("varint of 11 bytes", [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
        ("truncated varint", [0x08, 0xFF]),
        ("truncated fixed64", [0x09, 0x01, 0x02]),
        ("truncated fixed32", [0x0D, 0x01]),
        ("groups nested 200 deep", [.. Enumerable.Repeat((byte)0x0B, 200), .. Enumerable.Repeat((byte)0x0C, 200)]),
    ];

    /// <summary>
    /// Cases that need the type: invalid UTF-8 in each string field (and string map key), and a nested message
    /// that breaks the wire format in each message field.
    /// </summary>
    public static IEnumerable<(string Name, byte[] Bytes)> For(Type requestType)
    {
        if (DescriptorOf(requestType) is not { } descriptor)
        {
            yield break;
        }

        foreach (var field in descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType == FieldType.String)
            {
                yield return ($"invalid UTF-8 in {field.Name}", LengthDelimited(field.FieldNumber, [0x61, 0xC3, 0x28, 0xFF]));
                yield return ($"negative length of {field.Name}", [.. Tag(field.FieldNumber), 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]);
            }
            else if (field.FieldType == FieldType.Message && !field.IsMap)
            {
                yield return ($"malformed nested {field.Name}", LengthDelimited(field.FieldNumber, [0x0F, 0x01]));
            }
            else if (field.IsMap)
            {
                // A map entry whose key (field 1) is a string with invalid UTF-8 when the key is a string.
                if (field.MessageType.FindFieldByNumber(1).FieldType == FieldType.String)
                {
                    yield return ($"invalid UTF-8 in a key of {field.Name}", LengthDelimited(field.FieldNumber, LengthDelimited(1, [0xFF, 0xFE])));
                }
            }
        }
    }

    /// <summary>The protobuf descriptor of a generated message type, or null.</summary>
    public static MessageDescriptor? DescriptorOf(Type type) =>
        type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as MessageDescriptor;

    private static byte[] Tag(int fieldNumber)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(fieldNumber, WireFormat.WireType.LengthDelimited);
        output.Flush();
        return stream.ToArray();
    }

    private static byte[] LengthDelimited(int fieldNumber, byte[] body)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(fieldNumber, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(body));
        output.Flush();
        return stream.ToArray();
    }
}
