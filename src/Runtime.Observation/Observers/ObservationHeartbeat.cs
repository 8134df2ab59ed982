namespace Runtime.Observation.Observers;

/// <summary>Sent when a stream has been idle for the heartbeat interval; carries where each observer's stream is.</summary>
public sealed class ObservationHeartbeat(DateTimeOffset time, IReadOnlyDictionary<string, long> cycles)
    : ObservationMessage
{
    /// <inheritdoc />
    public override string Observer => "";

    /// <summary>When it was sent.</summary>
    public DateTimeOffset Time { get; } = time;

    /// <summary>Per observer, the cycle the stream has covered (resume after it).</summary>
    public IReadOnlyDictionary<string, long> Cycles { get; } = cycles;
}
