using System.Diagnostics;
using HdrHistogram;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// One caller's stream of batches with a bounded window: at most <c>windowBatches</c> batches sent and not yet
/// completed (consumed, or acked by the sink). Items complete in the order they were sent (a FIFO runtime with no
/// failures, or an in-order ack stream), so the n-th completed item belongs to batch n / batch size: its latency is
/// measured from that batch's send time with no per-item bookkeeping. The runtime path also records where an item's
/// time goes (accept turn, accept commit, waiting and delivery, consume commit) from the server's event stamps.
/// </summary>
internal sealed class EndToEndFlow
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _room;
    private readonly int _window;
    private readonly int _batch;
    private readonly long[] _sentAt;
    private readonly long[] _acceptTurnAt;
    private readonly long[] _acceptPublishedAt;
    private long _sentBatches;
    private long _accepted;
    private long _completed;
    private Recording? _recording;

    public EndToEndFlow(int windowBatches, int batch)
    {
        _window = windowBatches;
        _batch = batch;
        _room = new SemaphoreSlim(windowBatches, windowBatches);
        _sentAt = new long[windowBatches];
        _acceptTurnAt = new long[windowBatches * batch];
        _acceptPublishedAt = new long[windowBatches * batch];
    }

    /// <summary>Items completed so far.</summary>
    public long Completed
    {
        get
        {
            lock (_lock)
            {
                return _completed;
            }
        }
    }

    /// <summary>Waits for room in the window, then stamps the batch about to be sent; returns its sequence (from 0).</summary>
    public async Task<long> BeginBatchAsync(CancellationToken cancellationToken)
    {
        await _room.WaitAsync(cancellationToken);
        lock (_lock)
        {
            var n = _sentBatches++;
            _sentAt[n % _window] = Stopwatch.GetTimestamp();
            return n;
        }
    }

    /// <summary>The runtime accepted the next item (its accept turn started at <paramref name="turnAt"/>, committed now).</summary>
    public void Accepted(long turnAt)
    {
        lock (_lock)
        {
            var slot = _accepted++ % _acceptTurnAt.Length;
            _acceptTurnAt[slot] = turnAt;
            _acceptPublishedAt[slot] = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>The next <paramref name="items"/> items completed now (<paramref name="turnAt"/>: the consuming turn, if known).</summary>
    public void Complete(int items, long? turnAt = null)
    {
        var now = Stopwatch.GetTimestamp();
        var freed = 0;
        lock (_lock)
        {
            for (var i = 0; i < items; i++)
            {
                var n = _completed++;
                var sentAt = _sentAt[n / _batch % _window];
                if (_recording is { } r)
                {
                    r.Latency.RecordValue(Math.Max(0, now - sentAt));
                    if (turnAt is { } consumeTurn)
                    {
                        var slot = n % _acceptTurnAt.Length;
                        var (acceptTurn, acceptPublished) = (_acceptTurnAt[slot], _acceptPublishedAt[slot]);
                        r.Ingress.RecordValue(Math.Max(0, acceptTurn - sentAt));
                        r.AcceptCommit.RecordValue(Math.Max(0, acceptPublished - acceptTurn));
                        r.Delivery.RecordValue(Math.Max(0, consumeTurn - acceptPublished));
                        r.ConsumeCommit.RecordValue(Math.Max(0, now - consumeTurn));
                    }
                }

                if (_completed % _batch == 0)
                {
                    freed++;
                }
            }
        }

        if (freed > 0)
        {
            _room.Release(freed);
        }
    }

    /// <summary>Starts recording latencies into <paramref name="recording"/> (null stops).</summary>
    public void Record(Recording? recording)
    {
        lock (_lock)
        {
            _recording = recording;
        }
    }

    /// <summary>Waits (bounded) until everything sent has completed.</summary>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        var taken = 0;
        using var stop = new CancellationTokenSource(timeout);
        try
        {
            for (; taken < _window; taken++)
            {
                await _room.WaitAsync(stop.Token);
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            if (taken > 0)
            {
                _room.Release(taken);
            }
        }
    }

    /// <summary>Latencies of one phase (stopwatch ticks), and the runtime's stages.</summary>
    internal sealed class Recording
    {
        public LongHistogram Latency { get; } = New();

        public LongHistogram Ingress { get; } = New();

        public LongHistogram AcceptCommit { get; } = New();

        public LongHistogram Delivery { get; } = New();

        public LongHistogram ConsumeCommit { get; } = New();

        public void Add(Recording other)
        {
            Latency.Add(other.Latency);
            Ingress.Add(other.Ingress);
            AcceptCommit.Add(other.AcceptCommit);
            Delivery.Add(other.Delivery);
            ConsumeCommit.Add(other.ConsumeCommit);
        }

        private static LongHistogram New() => new(TimeStamp.Minutes(1), 3);
    }
}
