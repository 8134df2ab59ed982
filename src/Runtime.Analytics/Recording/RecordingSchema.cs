using Parquet;
using Parquet.Schema;

namespace Runtime.Analytics.Recording;

/// <summary>The Parquet schema of a recording: one row per event that passed the server filter.</summary>
public static class RecordingSchema
{
    /// <summary>The event's global sequence.</summary>
    public static readonly DataField<long> Sequence = new("sequence");

    /// <summary>When it happened (UTC timestamp).</summary>
    public static readonly DataField<DateTime> Time = new("time");

    /// <summary>The runtime id (empty for transport-only events).</summary>
    public static readonly DataField<string> Runtime = new("runtime");

    /// <summary>The input id, or null.</summary>
    public static readonly DataField<string> Input = new("input", true);

    /// <summary>The run id, or null.</summary>
    public static readonly DataField<string> Run = new("run", true);

    /// <summary>The event kind (InputTransitioned, RunCompleted...).</summary>
    public static readonly DataField<string> Kind = new("kind");

    /// <summary>The phase an input moved to, or null.</summary>
    public static readonly DataField<string> Phase = new("phase", true);

    /// <summary>The destination, or null.</summary>
    public static readonly DataField<string> Destination = new("destination", true);

    /// <summary>Payload bytes concerned.</summary>
    public static readonly DataField<long> Bytes = new("bytes");

    /// <summary>Latency in milliseconds (accept-to-consume or delivery), or null.</summary>
    public static readonly DataField<double?> LatencyMs = new("latency_ms");

    /// <summary>Attempt number.</summary>
    public static readonly DataField<int> Attempt = new("attempt");

    /// <summary>The server filter epoch the event passed.</summary>
    public static readonly DataField<long> FilterEpoch = new("filter_epoch");

    /// <summary>
    /// How recordings are written: the columns with few distinct values (runtime, kind, phase, destination) are
    /// dictionary-encoded, so each row costs an index instead of its text.
    /// </summary>
    public static ParquetOptions WriterOptions()
    {
        var options = new ParquetOptions();
        foreach (var field in (DataField[])[Runtime, Kind, Phase, Destination])
        {
            options.ColumnEncodingHints[field.Path.ToString()] = EncodingHint.Dictionary;
        }

        return options;
    }

    /// <summary>The whole schema, in column order.</summary>
    public static ParquetSchema Schema { get; } = new(
        Sequence, Time, Runtime, Input, Run, Kind, Phase, Destination, Bytes, LatencyMs, Attempt, FilterEpoch);
}
