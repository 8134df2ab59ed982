using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Runtime.Core.Errors;
using Runtime.Core.Events;
using Runtime.Core.Timing;
using Runtime.Observation.Timing;

namespace Runtime.Observation.Events;

/// <summary>
/// The live runtime event stream over the ledger's event log: the log numbers events in commit order and hands each
/// commit's events here, into a bounded ring of recent ones. That takes a short lock and never waits for watchers;
/// each watcher reads the ring at its own cursor, and one that is further behind than the ring (or resumes from
/// before this process) reads from the log, so it never slows anyone and sees a gap only for events that have left
/// the log's retention.
/// </summary>
public sealed class EventStream : IEventCategories, IEventLogListener, IDisposable
{
    private readonly Lock _publishLock = new();
    private readonly StreamedEvent?[] _ring;
    private readonly EventStreamOptions _options;
    private readonly TimeProvider _time;
    private readonly IEventLog _log;
    private long _firstSequence = 1;
    private long _lastSequence;
    private int _disabledCategories;
    private TaskCompletionSource? _pulse;
    private int _wakePending;
    private long _gapsReported;
    private long _wakes;
    private int _activeWatchers;
    private bool _disposed;

    /// <summary>Opens the stream over <paramref name="log"/>, which hands it every event committed from now on.</summary>
    public EventStream(IOptions<EventStreamOptions> options, TimeProvider time, IEventLog log)
    {
        _options = EventStreamOptionsValidator.Check(options.Value);
        _time = time;
        _log = log;
        _ring = new StreamedEvent?[_options.RingCapacity];
        log.Listen(this);
    }

    /// <summary>The first sequence this process can hold in its ring (the log holds older ones).</summary>
    public long FirstSequence => Volatile.Read(ref _firstSequence);

    /// <summary>The last sequence published.</summary>
    public long LastSequence => Volatile.Read(ref _lastSequence);

    /// <inheritdoc />
    public bool IsEnabled(EventCategory category) =>
        (Volatile.Read(ref _disabledCategories) & (1 << (int)category)) == 0;

    /// <summary>Switches a category on or off; when off, its events are not produced at all.</summary>
    public void SetEnabled(EventCategory category, bool enabled)
    {
        var bit = 1 << (int)category;
        if (enabled)
        {
            Interlocked.And(ref _disabledCategories, ~bit);
        }
        else
        {
            Interlocked.Or(ref _disabledCategories, bit);
        }
    }

    /// <inheritdoc />
    void IEventLogListener.Opened(long lastSequence)
    {
        lock (_publishLock)
        {
            Volatile.Write(ref _firstSequence, lastSequence + 1);
            Volatile.Write(ref _lastSequence, lastSequence);
        }
    }

    /// <summary>
    /// A commit's events, into the ring under one lock with one wake-up for all of them; watchers see exactly what they
    /// would one by one (same order, consecutive sequences, same filtering).
    /// </summary>
    void IEventLogListener.Committed(IReadOnlyList<SequencedEvent> events)
    {
        lock (_publishLock)
        {
            if (_disposed)
            {
                return;
            }

            for (var i = 0; i < events.Count; i++)
            {
                var (sequence, runtimeEvent) = events[i];
                Volatile.Write(ref _ring[sequence % _ring.Length], new StreamedEvent(sequence, runtimeEvent));
                Volatile.Write(ref _lastSequence, sequence);
            }
        }

        WakeWatchers();
    }

    /// <summary>
    /// Streams events after <see cref="EventWatchRequest.AfterSequence"/> that pass the filter, in sequence order,
    /// batched; a gap when events were lost; a heartbeat when idle. Ends normally when a bound is met or the stream
    /// is disposed; throws <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public IAsyncEnumerable<EventStreamItem> Watch(EventWatchRequest request, CancellationToken cancellationToken = default)
    {
        new Validator()
            .Require(request.AfterSequence is null or >= 0, "after_sequence", "must not be negative")
            .Require(request.MaxEvents >= 0, "max_events", "must not be negative")
            .Require(request.MaxDuration >= TimeSpan.Zero, "max_duration", "must not be negative")
            .ThrowIfInvalid();
        return WatchCore(request, cancellationToken);
    }

    /// <summary>A point-in-time view of the stream.</summary>
    public EventStreamStatistics GetStatistics()
    {
        var last = LastSequence;
        return new EventStreamStatistics
        {
            FirstSequence = FirstSequence,
            LastSequence = last,
            OldestSequence = OldestAvailable(last),
            RingCapacity = _ring.Length,
            ActiveWatchers = Volatile.Read(ref _activeWatchers),
            GapsReported = Interlocked.Read(ref _gapsReported),
            Wakes = Interlocked.Read(ref _wakes),
            DisabledCategories = Enum.GetValues<EventCategory>().Where(c => !IsEnabled(c)).ToArray(),
        };
    }

    /// <summary>
    /// Reads matching events after <paramref name="cursor"/> into <paramref name="into"/>, at most
    /// <paramref name="max"/>. Advances <paramref name="cursor"/> past every event examined. Returns a gap instead
    /// (and moves the cursor past it) when the events right after the cursor have left the ring.
    /// </summary>
    internal EventGap? Read(ref long cursor, int max, Func<StreamedEvent, bool>? filter, List<StreamedEvent> into)
    {
        if (ReadRing(ref cursor, max, filter, into))
        {
            return null;
        }

        var oldest = OldestAvailable(Volatile.Read(ref _lastSequence));
        var gap = new EventGap(cursor + 1, oldest - 1, EventGapReason.FellBehind);
        cursor = oldest - 1;
        Interlocked.Increment(ref _gapsReported);
        return gap;
    }

    /// <summary>Reads from the ring like <see cref="Read"/>; false (cursor unmoved) when the events after it have left the ring.</summary>
    private bool ReadRing(ref long cursor, int max, Func<StreamedEvent, bool>? filter, List<StreamedEvent> into)
    {
        var last = Volatile.Read(ref _lastSequence);
        if (cursor >= last)
        {
            return true;
        }

        if (cursor + 1 < OldestAvailable(last))
        {
            return false;
        }

        for (var sequence = cursor + 1; sequence <= last && into.Count < max; sequence++)
        {
            var slot = Volatile.Read(ref _ring[sequence % _ring.Length]);
            if (slot is null || slot.Sequence != sequence)
            {
                // Overwritten while we read: the next read finds the cursor behind the ring.
                break;
            }

            cursor = sequence;
            if (filter is null || filter(slot))
            {
                into.Add(slot);
            }
        }

        return true;
    }

    /// <summary>Stops publishing and records the exact next sequence, so a clean restart continues without a hole.</summary>
    public void Dispose()
    {
        lock (_publishLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        // Watchers end on a pool thread, not on the disposing one.
        ThreadPool.UnsafeQueueUserWorkItem(static stream => stream.FirePulse(), this, preferLocal: false);
    }

    private async IAsyncEnumerable<EventStreamItem> WatchCore(
        EventWatchRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _activeWatchers);
        using var timer = new DeadlineTimer(_time, cancellationToken);
        try
        {
            var started = _time.GetUtcNow();
            var endAt = request.MaxDuration > TimeSpan.Zero ? SaturatingTime.Add(started, request.MaxDuration) : DateTimeOffset.MaxValue;
            var heartbeat = _options.HeartbeatInterval;
            var lastSent = started;
            var sent = 0L;
            var cursor = request.AfterSequence ?? LastSequence;

            while (!Volatile.Read(ref _disposed))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var now = _time.GetUtcNow();
                if ((request.MaxEvents > 0 && sent >= request.MaxEvents) || now >= endAt)
                {
                    yield break;
                }

                var room = request.MaxEvents > 0 ? (int)Math.Min(_options.MaxBatchSize, request.MaxEvents - sent) : _options.MaxBatchSize;
                var events = new List<StreamedEvent>(Math.Min(room, 16));
                if (!ReadRing(ref cursor, room, request.Filter, events))
                {
                    // Behind the ring: older events come from the log, and only those it no longer holds are a gap.
                    var (moved, gap) = await ReadLogAsync(cursor, room, request.Filter, events, cancellationToken);
                    cursor = moved;
                    if (gap is not null)
                    {
                        lastSent = now;
                        yield return gap;
                        continue;
                    }
                }

                if (events.Count > 0)
                {
                    sent += events.Count;
                    lastSent = now;
                    yield return new EventBatch(events);
                    continue;
                }

                if (cursor < LastSequence)
                {
                    continue; // everything read so far was filtered out; keep scanning
                }

                if (now >= lastSent + heartbeat)
                {
                    lastSent = now;
                    yield return new EventHeartbeat(cursor, now);
                    continue;
                }

                var pulse = AcquirePulse();
                if (LastSequence > cursor || Volatile.Read(ref _disposed))
                {
                    continue;
                }

                var deadline = lastSent + heartbeat < endAt ? lastSent + heartbeat : endAt;
                await timer.WaitAsync(pulse.Task, deadline);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _activeWatchers);
        }
    }

    /// <summary>
    /// Reads up to <paramref name="max"/> events after <paramref name="cursor"/> from the log into
    /// <paramref name="into"/> (those passing the filter); returns the new cursor, and a gap when the log no longer
    /// holds the events right after it.
    /// </summary>
    private async Task<(long Cursor, EventGap? Gap)> ReadLogAsync(
        long cursor, int max, Func<StreamedEvent, bool>? filter, List<StreamedEvent> into, CancellationToken cancellationToken)
    {
        var older = await _log.ReadAsync(cursor, max, cancellationToken);
        var next = older.Count > 0 ? older[0].Sequence : OldestAvailable(LastSequence);
        if (next > cursor + 1)
        {
            Interlocked.Increment(ref _gapsReported);
            return (next - 1, new EventGap(cursor + 1, next - 1, EventGapReason.Trimmed));
        }

        foreach (var (sequence, runtimeEvent) in older)
        {
            cursor = sequence;
            var streamed = new StreamedEvent(sequence, runtimeEvent);
            if (filter is null || filter(streamed))
            {
                into.Add(streamed);
            }
        }

        return (cursor, null);
    }

    private long OldestAvailable(long last) => Math.Max(FirstSequence, last - _ring.Length + 1);

    private TaskCompletionSource AcquirePulse()
    {
        var current = Volatile.Read(ref _pulse);
        if (current is not null)
        {
            return current;
        }

        // Continuations run on the waking thread (see WakeNow): one work item serves every waiting watcher.
        var created = new TaskCompletionSource();
        return Interlocked.CompareExchange(ref _pulse, created, null) ?? created;
    }

    /// <summary>
    /// Cheap when nobody waits: one read. Otherwise the wake is handed off so the publisher pays O(1) however many
    /// watchers there are, and every publish inside the wake delay shares one wake: watchers then send the events
    /// that came close together as one batch instead of one message each. The delay can grow with the number
    /// of watchers (<see cref="EventStreamOptions.WakeDelayPerWatcher"/>, off by default), since a wake costs every
    /// watcher a turn. The delay only groups events;
    /// it runs on real time because it decides nothing a test observes.
    /// </summary>
    private void WakeWatchers()
    {
        if (Volatile.Read(ref _pulse) is null || Interlocked.Exchange(ref _wakePending, 1) == 1)
        {
            return;
        }

        var delay = WakeDelay(Volatile.Read(ref _activeWatchers));
        if (delay <= TimeSpan.Zero)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static stream => stream.WakeNow(), this, preferLocal: false);
        }
        else
        {
            _ = WakeAfterDelayAsync(delay);
        }
    }

    private TimeSpan WakeDelay(int watchers)
    {
        var scaled = _options.WakeDelayPerWatcher * watchers;
        var capped = scaled < _options.MaxWakeDelay ? scaled : _options.MaxWakeDelay;
        return capped > _options.WakeDelay ? capped : _options.WakeDelay;
    }

    private async Task WakeAfterDelayAsync(TimeSpan delay)
    {
        await Task.Delay(delay).ConfigureAwait(false);

        // Off the timer's callback: the watchers run inside the wake, and other timers must not wait for them.
        ThreadPool.UnsafeQueueUserWorkItem(static stream => stream.WakeNow(), this, preferLocal: false);
    }

    /// <summary>
    /// Fires the pulse on this (pool) thread: the woken watchers run here one after another, each until its next
    /// await (for a gRPC stream: its write handed to the transport). Queuing each of them as its own work item instead
    /// put a thousand items ahead of everything else on the pool (the producer, the transport) at every wake.
    /// </summary>
    private void WakeNow()
    {
        // Cleared first: a publish from here on schedules another wake, so none is lost.
        Volatile.Write(ref _wakePending, 0);
        if (TakePulse() is { } pulse)
        {
            // Counted before the watchers run: they finish inside TrySetResult.
            Interlocked.Increment(ref _wakes);
            pulse.TrySetResult();
        }
    }

    private void FirePulse() => TakePulse()?.TrySetResult();

    /// <summary>Detaches the current pulse (the one waiters hold) so that exactly one caller fires it.</summary>
    private TaskCompletionSource? TakePulse() =>
        Volatile.Read(ref _pulse) is { } pulse && Interlocked.CompareExchange(ref _pulse, null, pulse) == pulse ? pulse : null;
}
