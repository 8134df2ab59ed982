using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Runtime.Core.Errors;
using Runtime.Core.Timing;
using Runtime.Observation.Filtering;
using Runtime.Observation.Observers;
using Runtime.Observation.Timing;

namespace Runtime.Observation.Subscriptions;

/// <summary>
/// Opens subscriptions over observers. Each subscription has its own bounded buffer, fed by the runners without
/// waiting; a subscriber that falls behind is resynchronised from history (or by a gap and a fresh snapshot) when it
/// reads again, so it never slows the producer or the other subscribers.
/// </summary>
internal sealed class SubscriptionHub(
    IReadOnlyDictionary<string, ObserverRunner> runners, int bufferSize, TimeSpan heartbeatInterval, TimeProvider time)
{
    private readonly ConcurrentDictionary<long, Subscription> _active = new();
    private readonly Lock _retiredLock = new();
    private SubscriptionStats _retired = Empty();
    private long _opened;

    /// <summary>Validates the request and returns the stream (nothing is attached until it is first read).</summary>
    public IAsyncEnumerable<ObservationMessage> Subscribe(SubscriptionRequest request, CancellationToken cancellationToken)
    {
        var validator = new Validator()
            .Require(request.AfterCycle is null or >= 0, "after_cycle", "must not be negative")
            .Require(request.AfterCycles?.Values.All(c => c >= 0) ?? true, "after_cycles", "must not be negative")
            .Require(request.MaxMessages >= 0, "max_messages", "must not be negative")
            .Require(request.MaxDuration >= TimeSpan.Zero, "max_duration", "must not be negative");
        validator.ThrowIfInvalid();

        // A resume point for an observer that does not exist is as wrong as following one.
        foreach (var name in request.AfterCycles?.Keys ?? Enumerable.Empty<string>())
        {
            if (!runners.ContainsKey(name))
            {
                throw Fail.NotFound("OBSERVER_NOT_FOUND", $"No observer is named '{name}'.", ("observer", name));
            }
        }

        var names = request.Observers.Count == 0 ? runners.Keys.Order(StringComparer.Ordinal).ToArray() : request.Observers.Distinct().ToArray();
        var chosen = names
            .Select(name => runners.TryGetValue(name, out var runner)
                ? runner
                : throw Fail.NotFound("OBSERVER_NOT_FOUND", $"No observer is named '{name}'.", ("observer", name)))
            .ToArray();
        return SubscribeCore(request, chosen, cancellationToken);
    }

    /// <summary>Totals since start and each open subscription.</summary>
    public SubscriptionStatistics GetStatistics()
    {
        var open = _active.Values.Select(s => s.GetStats()).OrderBy(s => s.Id).ToArray();
        SubscriptionStats retired;
        lock (_retiredLock)
        {
            retired = _retired;
        }

        return new SubscriptionStatistics
        {
            Active = open.Length,
            Opened = Interlocked.Read(ref _opened),
            TotalDelivered = retired.Delivered + open.Sum(s => s.Delivered),
            TotalDropped = retired.Dropped + open.Sum(s => s.Dropped),
            TotalOverflows = retired.Overflows + open.Sum(s => s.Overflows),
            TotalResyncs = retired.Resyncs + open.Sum(s => s.Resyncs),
            TotalGaps = retired.Gaps + open.Sum(s => s.Gaps),
            Subscriptions = open,
        };
    }

    private async IAsyncEnumerable<ObservationMessage> SubscribeCore(
        SubscriptionRequest request, ObserverRunner[] chosen, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var endAt = request.MaxDuration > TimeSpan.Zero ? SaturatingTime.Add(started, request.MaxDuration) : DateTimeOffset.MaxValue;
        var filter = request.Filter ?? RuntimeFilter.All;
        var subscription = new Subscription(
            Interlocked.Increment(ref _opened), chosen.Select(r => r.Name).ToArray(), bufferSize, started);
        var feeds = new Dictionary<string, ObserverFeed>(StringComparer.Ordinal);
        var outbox = new Queue<ObservationMessage>();

        // Ends the pending buffer wait with the stream, whatever the caller's token does.
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            foreach (var runner in chosen)
            {
                var feed = new ObserverFeed(subscription, runner);
                feeds[runner.Name] = feed;
                subscription.Feeds.Add(feed);
                var start = runner.Attach(feed, request.ResumePointFor(runner.Name), request.IncludeSnapshot, ObservationGapReason.Trimmed);
                Stage(start, filter, subscription, outbox);
            }

            // Visible to statistics only once its feed list is complete (it is not changed afterwards).
            _active[subscription.Id] = subscription;

            var lastSent = started;
            var sent = 0L;
            Task<bool>? bufferWait = null;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var now = time.GetUtcNow();
                if ((request.MaxMessages > 0 && sent >= request.MaxMessages) || now >= endAt)
                {
                    yield break;
                }

                if (outbox.TryDequeue(out var message))
                {
                    sent++;
                    lastSent = now;
                    subscription.CountDelivered();
                    yield return message;
                    continue;
                }

                if (subscription.Reader.TryRead(out var buffered))
                {
                    if (buffered is not ObservationBatch batch)
                    {
                        outbox.Enqueue(buffered);
                    }
                    else if (batch.Cycle > feeds[batch.Observer].Cursor)
                    {
                        feeds[batch.Observer].Advance(batch.Cycle);
                        if (batch.Filter(filter) is { } visible)
                        {
                            outbox.Enqueue(visible);
                        }
                    }

                    continue;
                }

                // The buffer is drained: feeds that overflowed catch up from history now, in order.
                var resynced = false;
                foreach (var feed in feeds.Values.Where(f => f.Suspended))
                {
                    subscription.CountResync();
                    Stage(feed.Runner.Attach(feed, feed.Cursor, includeSnapshot: false, ObservationGapReason.FellBehind), filter, subscription, outbox);
                    resynced = true;
                }

                if (resynced)
                {
                    continue;
                }

                if (now >= lastSent + heartbeatInterval)
                {
                    lastSent = now;
                    subscription.CountHeartbeat();
                    yield return new ObservationHeartbeat(now, feeds.ToDictionary(f => f.Key, f => f.Value.Cursor, StringComparer.Ordinal));
                    continue;
                }

                bufferWait ??= subscription.Reader.WaitToReadAsync(lifetime.Token).AsTask();
                var deadline = lastSent + heartbeatInterval < endAt ? lastSent + heartbeatInterval : endAt;
                if (await TimedWait.UntilAsync(bufferWait, deadline, time, cancellationToken))
                {
                    bufferWait = null;
                }
            }
        }
        finally
        {
            foreach (var feed in feeds.Values)
            {
                feed.Runner.Detach(feed);
            }

            subscription.Close();
            await lifetime.CancelAsync();
            _active.TryRemove(subscription.Id, out _);
            Retire(subscription.GetStats());
        }
    }

    private static void Stage(FeedStart start, IObservationFilter filter, Subscription subscription, Queue<ObservationMessage> outbox)
    {
        if (start.Gap is not null)
        {
            subscription.CountGap();
            outbox.Enqueue(start.Gap);
        }

        if (start.Snapshot is not null)
        {
            outbox.Enqueue(start.Snapshot.Filter(filter));
        }

        foreach (var batch in start.Backlog)
        {
            if (batch.Filter(filter) is { } visible)
            {
                outbox.Enqueue(visible);
            }
        }
    }

    private void Retire(SubscriptionStats ended)
    {
        lock (_retiredLock)
        {
            _retired = _retired with
            {
                Delivered = _retired.Delivered + ended.Delivered,
                Dropped = _retired.Dropped + ended.Dropped,
                Overflows = _retired.Overflows + ended.Overflows,
                Resyncs = _retired.Resyncs + ended.Resyncs,
                Gaps = _retired.Gaps + ended.Gaps,
            };
        }
    }

    private static SubscriptionStats Empty() => new()
    {
        Id = 0,
        Observers = [],
        CreatedAt = default,
        Delivered = 0,
        Heartbeats = 0,
        Dropped = 0,
        Overflows = 0,
        Resyncs = 0,
        Gaps = 0,
        Buffered = 0,
        LagCycles = 0,
    };
}
