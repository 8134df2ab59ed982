namespace Runtime.Analytics.Recording;

/// <summary>
/// One recorded event as read back: the columns of the recording file (see <see cref="RecordingSchema"/>; the recorder
/// fills the columns in place, with no row object).
/// </summary>
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
    long FilterEpoch);
