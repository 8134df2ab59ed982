using System.Globalization;
using Runtime.Observation.Events;
using Runtime.Observation.Filtering;

namespace Runtime.Analytics.Filters;

/// <summary>How a field's values compare.</summary>
public enum FilterFieldType
{
    /// <summary>Exact, case-sensitive text.</summary>
    Text,

    /// <summary>An enum name: case and underscores are ignored, so <c>CONSUMED</c> matches <c>Consumed</c>.</summary>
    Symbol,

    /// <summary>A number (ordering comparisons allowed).</summary>
    Number,
}

/// <summary>A field the filter language can name, and how to read it from an item.</summary>
public sealed record FilterField(string Name, FilterFieldType Type, string SourceName)
{
    private static readonly Dictionary<string, FilterField> Known = new[]
    {
        new FilterField("runtime", FilterFieldType.Text, "runtime_id"),
        new FilterField("runtime_id", FilterFieldType.Text, "runtime_id"),
        new FilterField("destination", FilterFieldType.Text, "destination"),
        new FilterField("input", FilterFieldType.Text, "input_id"),
        new FilterField("input_id", FilterFieldType.Text, "input_id"),
        new FilterField("run", FilterFieldType.Text, "run_id"),
        new FilterField("run_id", FilterFieldType.Text, "run_id"),
        new FilterField("input_kind", FilterFieldType.Text, "input_kind"),
        new FilterField("reason", FilterFieldType.Text, "reason"),
        new FilterField("kind", FilterFieldType.Symbol, "kind"),
        new FilterField("category", FilterFieldType.Symbol, "category"),
        new FilterField("phase", FilterFieldType.Symbol, "to_phase"),
        new FilterField("to_phase", FilterFieldType.Symbol, "to_phase"),
        new FilterField("from_phase", FilterFieldType.Symbol, "from_phase"),
        new FilterField("state", FilterFieldType.Symbol, "to_state"),
        new FilterField("to_state", FilterFieldType.Symbol, "to_state"),
        new FilterField("from_state", FilterFieldType.Symbol, "from_state"),
        new FilterField("payload_type", FilterFieldType.Symbol, "payload_type"),
        new FilterField("bytes", FilterFieldType.Number, "bytes"),
        new FilterField("latency_ms", FilterFieldType.Number, "latency_ms"),
        new FilterField("attempt", FilterFieldType.Number, "attempt"),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>The field names the language knows (labels are <c>labels.&lt;key&gt;</c>).</summary>
    public static IReadOnlyCollection<string> Names => Known.Keys;

    /// <summary>The label key when this field is a label, else null.</summary>
    public string? LabelKey { get; private init; }

    /// <summary>Finds a field by name, or null when the language does not know it.</summary>
    public static FilterField? Find(string name)
    {
        if (name.StartsWith("labels.", StringComparison.Ordinal) && name.Length > "labels.".Length)
        {
            return new FilterField(name, FilterFieldType.Text, name) { LabelKey = name["labels.".Length..] };
        }

        return Known.GetValueOrDefault(name);
    }

    /// <summary>Reads the field as text (null when the item has no value for it).</summary>
    public string? ReadText(IFilterable item)
    {
        if (LabelKey is not null)
        {
            return item.GetLabel(LabelKey);
        }

        if (item is StreamedEvent streamed)
        {
            var e = streamed.Event;
            switch (SourceName)
            {
                case "payload_type":
                    return e.PayloadType?.ToString();
                case "bytes":
                    return e.Bytes.ToString(CultureInfo.InvariantCulture);
                case "attempt":
                    return e.Attempt.ToString(CultureInfo.InvariantCulture);
                case "latency_ms":
                    return e.Latency?.TotalMilliseconds.ToString(CultureInfo.InvariantCulture);
            }
        }

        return item.GetField(SourceName);
    }

    /// <summary>Reads the field as a number (null when absent or not numeric).</summary>
    public double? ReadNumber(IFilterable item)
    {
        if (item is StreamedEvent streamed)
        {
            var e = streamed.Event;
            switch (SourceName)
            {
                case "bytes":
                    return e.Bytes;
                case "attempt":
                    return e.Attempt;
                case "latency_ms":
                    return e.Latency?.TotalMilliseconds;
            }
        }

        return double.TryParse(ReadText(item), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>The canonical form of a symbol: lower case, no underscores.</summary>
    public static string Canonical(string symbol) => symbol.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}
