using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Runtime.Core.Errors;
using Runtime.Core.Events;
using Runtime.Core.Timing;
using Runtime.Observation.Timing;

namespace Runtime.Observation.Events;

/// <summary>
/// The sequenced runtime event stream: a bounded ring of recent events with a global monotonic sequence that
/// continues across restarts. Publishing takes a short lock and never waits for watchers; each watcher reads the
/// ring at its own cursor, so a slow watcher only loses events (reported as a gap), it never slows anyone.
/// </summary>
public sealed class EventStream : IRuntimeEventPublisher, IDisposable
{
    private readonly Lock _publishLock = new();
    private readonly StreamedEvent?[] _ring;
    private readonly EventStreamOptions _options;
    private readonly TimeProvider _time;
    private readonly SequenceReservation _reservation;
    private long _nextSequence;
    private long _lastSequence;
    private int _disabledCategories;
    private TaskCompletionSource? _pulse;
    private int _wakePending;
    private long _dropped;
    private long _gapsReported;
    private long _wakes;
    private int _activeWatchers;
    private bool _disposed;

    /// <summary>The file in the data directory that holds the sequence high-water mark.</summary>
    public const string SequenceFileName = "event-sequence";

    /// <summary>Opens the stream over the data directory in <paramref name="options"/>.</summary>
    public EventStream(IOptions<EventStreamOptions> options, TimeProvider time, ILogger<EventStream>? logger = null)
    {
        _options = EventStreamOptionsValidator.Check(options.Value);
        _time = time;
        _ring = new StreamedEvent?[_options.RingCapacity];
        _reservation = new SequenceReservation(
            _options.DataDirectory, SequenceFileName, _options.SequenceBlockSize, logger ?? NullLogger<EventStream>.Instance);
        _nextSequence = _reservation.FirstSequence;
        _lastSequence = _reservation.FirstSequence - 1;
    }

    /// <summary>The first sequence of this process.</summary>
    public long FirstSequence => _reservation.FirstSequence;

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
    public long Publish(RuntimeEvent runtimeEvent)
    {
        if (!IsEnabled(runtimeEvent.Category))
        {
            return 0;
        }

        long sequence;
        lock (_publishLock)
        {
            sequence = _disposed ? 0 : Append(runtimeEvent);
        }

        if (sequence > 0)
        {
            WakeWatchers();
        }

        return sequence;
    }

    /// <summary>
    /// Publishes a turn's events under one lock with one wake-up for all of them; watchers see exactly what one
    /// <see cref="Publish"/> per event would have given them (same order, consecutive sequences, same filtering).
    /// </summary>
    public void PublishAll(IReadOnlyList<RuntimeEvent> runtimeEvents)
    {
        var published = false;
        lock (_publishLock)
        {
            if (_disposed)
            {
                return;
            }

            for (var i = 0; i < runtimeEvents.Count; i++)
            {
                published |= IsEnabled(runtimeEvents[i].Category) && Append(runtimeEvents[i]) > 0;
            }
        }

        if (published)
        {
            WakeWatchers();
        }
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
            Dropped = Interlocked.Read(ref _dropped),
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
        var last = Volatile.Read(ref _lastSequence);
        if (cursor >= last)
        {
            return null;
        }

        var oldest = OldestAvailable(last);
        if (cursor + 1 < oldest)
        {
            var gap = new EventGap(cursor + 1, oldest - 1, EventGapReason.FellBehind);
            cursor = oldest - 1;
            Interlocked.Increment(ref _gapsReported);
            return gap;
        }

        for (var sequence = cursor + 1; sequence <= last && into.Count < max; sequence++)
        {
            var slot = Volatile.Read(ref _ring[sequence % _ring.Length]);
            if (slot is null || slot.Sequence != sequence)
            {
                // Overwritten while we read: the next read reports the gap.
                break;
            }

            cursor = sequence;
            if (filter is null || filter(slot))
            {
                into.Add(slot);
            }
        }

        return null;
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
            _reservation.Close(_nextSequence);
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

            // A resume point this process no longer holds is reported once, as trimmed.
            if (request.AfterSequence is { } after && after + 1 < OldestAvailable(LastSequence))
            {
                var oldest = OldestAvailable(LastSequence);
                cursor = oldest - 1;
                Interlocked.Increment(ref _gapsReported);
                yield return new EventGap(after + 1, oldest - 1, EventGapReason.Trimmed);
                lastSent = _time.GetUtcNow();
            }

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
                var gap = Read(ref cursor, room, request.Filter, events);
                if (gap is not null)
                {
                    lastSent = now;
                    yield return gap;
                    continue;
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

    /// <summary>Gives the event the next sequence and puts it in the ring (under the publish lock); 0 when dropped.</summary>
    private long Append(RuntimeEvent runtimeEvent)
    {
        var sequence = _nextSequence;
        if (!_reservation.TryCover(sequence))
        {
            _dropped++;
            return 0;
        }

        _nextSequence = sequence + 1;
        Volatile.Write(ref _ring[sequence % _ring.Length], new StreamedEvent(sequence, runtimeEvent));
        Volatile.Write(ref _lastSequence, sequence);
        return sequence;
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
