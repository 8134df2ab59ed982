using System.Threading.Channels;
using Runtime.Observation.Observers;

namespace Runtime.Observation.Subscriptions;

/// <summary>One open subscription: its bounded buffer of live batches (and failure notices), its feeds and its counters.</summary>
internal sealed class Subscription(long id, IReadOnlyList<string> observers, int bufferSize, DateTimeOffset createdAt)
{
    private readonly Channel<ObservationMessage> _buffer = Channel.CreateBounded<ObservationMessage>(
        new BoundedChannelOptions(bufferSize) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private long _delivered;
    private long _heartbeats;
    private long _dropped;
    private long _overflows;
    private long _resyncs;
    private long _gaps;

    public long Id { get; } = id;

    public IReadOnlyList<string> Observers { get; } = observers;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public List<ObserverFeed> Feeds { get; } = [];

    public ChannelReader<ObservationMessage> Reader => _buffer.Reader;

    public bool TryBuffer(ObservationMessage message) => _buffer.Writer.TryWrite(message);

    public void Close() => _buffer.Writer.TryComplete();

    public void CountDelivered() => Interlocked.Increment(ref _delivered);

    public void CountHeartbeat() => Interlocked.Increment(ref _heartbeats);

    public void CountDropped() => Interlocked.Increment(ref _dropped);

    public void CountOverflow() => Interlocked.Increment(ref _overflows);

    public void CountResync() => Interlocked.Increment(ref _resyncs);

    public void CountGap() => Interlocked.Increment(ref _gaps);

    public SubscriptionStats GetStats() => new()
    {
        Id = Id,
        Observers = Observers,
        CreatedAt = CreatedAt,
        Delivered = Interlocked.Read(ref _delivered),
        Heartbeats = Interlocked.Read(ref _heartbeats),
        Dropped = Interlocked.Read(ref _dropped),
        Overflows = Interlocked.Read(ref _overflows),
        Resyncs = Interlocked.Read(ref _resyncs),
        Gaps = Interlocked.Read(ref _gaps),
        Buffered = _buffer.Reader.Count,
        LagCycles = Feeds.Count == 0 ? 0 : Feeds.Max(f => Math.Max(0, f.Runner.LastBatchCycle - f.Cursor)),
    };
}
