using Runtime.Observation.Events;

namespace Runtime.Analytics.Recording;

/// <summary>One recorded event: the columns of the recording file (see <see cref="RecordingSchema"/>).</summary>
public readonly record struct RecordingRow(
    long Sequence,
    DateTime Time,
    string Runtime,
    string? Input,
    string? Run,
    string Kind,
    string? Phase,
    string? Destination,
    long Bytes,
    double? LatencyMs,
    int Attempt,
    long FilterEpoch)
{
    /// <summary>The row of <paramref name="streamed"/> recorded under <paramref name="filterEpoch"/>.</summary>
    public static RecordingRow From(StreamedEvent streamed, long filterEpoch)
    {
        var e = streamed.Event;
        return new RecordingRow(
            streamed.Sequence,
            e.Time.UtcDateTime,
            e.RuntimeId,
            e.InputId,
            e.RunId,
            e.Kind.ToString(),
            e.ToPhase?.ToString(),
            e.Destination,
            e.Bytes,
            e.Latency?.TotalMilliseconds,
            e.Attempt,
            filterEpoch);
    }
}
