using Runtime.Core.Errors;
using Runtime.Observation.Events;

namespace Runtime.Analytics.Trie;

/// <summary>What an event is weighed by.</summary>
public enum TrieWeight
{
    /// <summary>Each event weighs 1.</summary>
    Count,

    /// <summary>The event's payload bytes.</summary>
    Bytes,

    /// <summary>The event's latency in microseconds (events without a latency are skipped).</summary>
    Latency,
}

/// <summary>The fields a trie can group by.</summary>
public enum TrieFieldKind
{
    /// <summary>The runtime id.</summary>
    Runtime,

    /// <summary>The destination.</summary>
    Destination,

    /// <summary>The event kind.</summary>
    Kind,

    /// <summary>The phase an input moved to.</summary>
    Phase,

    /// <summary>The payload type (lane).</summary>
    PayloadType,

    /// <summary>A label (attribute) value.</summary>
    Label,
}

/// <summary>One grouping level: a field, and the key when it is a label.</summary>
public sealed record TrieField(TrieFieldKind Kind, string? LabelKey = null)
{
    /// <summary>Shown for an event that has no value for the field.</summary>
    public const string None = "(none)";

    /// <summary>Parses <c>runtime</c>, <c>destination</c>, <c>kind</c>, <c>phase</c>, <c>payload_type</c> or <c>label:&lt;key&gt;</c>.</summary>
    public static TrieField? TryParse(string text) => text switch
    {
        "runtime" => new(TrieFieldKind.Runtime),
        "destination" => new(TrieFieldKind.Destination),
        "kind" => new(TrieFieldKind.Kind),
        "phase" => new(TrieFieldKind.Phase),
        "payload_type" => new(TrieFieldKind.PayloadType),
        _ when text.StartsWith("label:", StringComparison.Ordinal) && text.Length > "label:".Length => new(TrieFieldKind.Label, text["label:".Length..]),
        _ => null,
    };

    /// <summary>The value of this field in <paramref name="streamed"/>, or <see cref="None"/>.</summary>
    public string ValueOf(StreamedEvent streamed)
    {
        var e = streamed.Event;
        var value = Kind switch
        {
            TrieFieldKind.Runtime => e.RuntimeId,
            TrieFieldKind.Destination => e.Destination,
            TrieFieldKind.Kind => e.Kind.ToString(),
            TrieFieldKind.Phase => e.ToPhase?.ToString(),
            TrieFieldKind.PayloadType => e.PayloadType?.ToString(),
            _ => streamed.GetLabel(LabelKey!),
        };
        return string.IsNullOrEmpty(value) ? None : value;
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        TrieFieldKind.PayloadType => "payload_type",
        TrieFieldKind.Label => $"label:{LabelKey}",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>The ordered grouping fields and the weight.</summary>
public sealed record TrieConfiguration(IReadOnlyList<TrieField> Fields, TrieWeight Weight)
{
    /// <summary>Most grouping levels.</summary>
    public const int MaxFields = 8;

    /// <summary>The default: runtime, then kind, counted.</summary>
    public static TrieConfiguration Default { get; } = new([new(TrieFieldKind.Runtime), new(TrieFieldKind.Kind)], TrieWeight.Count);

    /// <summary>Parses field names (see <see cref="TrieField.TryParse"/>); INVALID_ARGUMENT on <c>fields</c> when wrong.</summary>
    public static TrieConfiguration Parse(IReadOnlyList<string> fields, TrieWeight weight)
    {
        var validator = new Validator()
            .Require(fields.Count is > 0 and <= MaxFields, "fields", $"give 1 to {MaxFields} fields");
        var parsed = new List<TrieField>();
        for (var i = 0; i < fields.Count; i++)
        {
            if (TrieField.TryParse(fields[i]) is not { } field)
            {
                validator.Add($"fields[{i}]", $"unknown field '{fields[i]}': use runtime, destination, kind, phase, payload_type or label:<key>");
            }
            else if (parsed.Contains(field))
            {
                validator.Add($"fields[{i}]", $"'{fields[i]}' is given twice");
            }
            else
            {
                parsed.Add(field);
            }
        }

        validator.Require(Enum.IsDefined(weight), "weight", "use count, bytes or latency").ThrowIfInvalid();
        return new TrieConfiguration(parsed, weight);
    }
}
