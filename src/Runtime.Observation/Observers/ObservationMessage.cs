namespace Runtime.Observation.Observers;

/// <summary>
/// One message of an observation stream: a snapshot, a batch, a gap or a heartbeat. Shared messages (snapshots and
/// batches) carry a slot for their encoded form, so the transport encodes each once for every subscriber.
/// </summary>
public abstract class ObservationMessage
{
    private object? _encoded;

    /// <summary>The observer the message comes from (empty for heartbeats, which cover all of a stream's observers).</summary>
    public abstract string Observer { get; }

    /// <summary>Returns this message's encoded form, encoding it once on first use (thread-safe).</summary>
    public T GetOrAddEncoded<T>(Func<T> encode)
        where T : class => EncodedSlot.GetOrAdd(ref _encoded, encode);
}
