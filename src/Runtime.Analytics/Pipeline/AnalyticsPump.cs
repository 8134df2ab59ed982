using System.Runtime.InteropServices;
using Runtime.Analytics.Filters;
using Runtime.Observation.Events;

namespace Runtime.Analytics.Pipeline;

/// <summary>
/// Reads the event stream at its own cursor (so it never slows the publisher: if it falls behind it loses events,
/// counted) and feeds every event that passes the server filter to the consumers, with the filter epoch. Each
/// batch read from the stream is filtered into one reused buffer and handed to every consumer whole, so the per-event
/// work is the filter and the consumers' own counting: no allocation and one lock per consumer per batch.
/// </summary>
/// <param name="stream">The event stream read.</param>
/// <param name="filter">The server-wide filter.</param>
/// <param name="consumers">What the passing events feed.</param>
/// <param name="pause">
/// Once caught up, the pump waits this long before reading again, so events gather into large batches instead of
/// waking the pump (and its consumers) for every few events. Zero: read as soon as events arrive. The ring holds far
/// more than a pause's worth of events; it runs on real time because it only groups events.
/// </param>
public sealed class AnalyticsPump(EventStream stream, ServerFilter filter, IEnumerable<IAnalyticsConsumer> consumers, TimeSpan pause = default)
{
    private readonly IAnalyticsConsumer[] _consumers = [.. consumers];
    private readonly List<StreamedEvent> _passed = [];
    private long _processedSequence;
    private long _eventsLost;
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The last sequence the pump has looked at (passed or filtered out).</summary>
    public long ProcessedSequence => Interlocked.Read(ref _processedSequence);

    /// <summary>Events the pump never saw because it fell behind the ring.</summary>
    public long EventsLost => Interlocked.Read(ref _eventsLost);

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled or the stream is disposed.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var start = stream.LastSequence;
        Interlocked.Exchange(ref _processedSequence, start);
        try
        {
            await foreach (var item in stream.Watch(new EventWatchRequest { AfterSequence = start }, cancellationToken))
            {
                switch (item)
                {
                    case EventBatch batch:
                        Feed(batch.Events);
                        Advance(batch.LastSequence);
                        if (pause > TimeSpan.Zero && batch.LastSequence >= stream.LastSequence)
                        {
                            await Task.Delay(pause, cancellationToken);
                        }

                        break;
                    case EventGap gap:
                        Interlocked.Add(ref _eventsLost, gap.ToSequence - gap.FromSequence + 1);
                        Advance(gap.ToSequence);
                        break;
                    case EventHeartbeat heartbeat:
                        Advance(heartbeat.Sequence);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Completes once the pump has looked at <paramref name="sequence"/>; throws when cancelled first.</summary>
    public async Task WhenProcessedAsync(long sequence, CancellationToken cancellationToken)
    {
        while (ProcessedSequence < sequence)
        {
            var progress = Volatile.Read(ref _progress);
            if (ProcessedSequence >= sequence)
            {
                return;
            }

            await progress.Task.WaitAsync(cancellationToken);
        }
    }

    private void Feed(IReadOnlyList<StreamedEvent> events)
    {
        var state = filter.Current;
        _passed.Clear();
        if (state.Expression.MatchesAll)
        {
            _passed.AddRange(events);
        }
        else
        {
            for (var i = 0; i < events.Count; i++)
            {
                if (state.Expression.Matches(events[i]))
                {
                    _passed.Add(events[i]);
                }
            }
        }

        if (_passed.Count == 0)
        {
            return;
        }

        var passed = CollectionsMarshal.AsSpan(_passed);
        foreach (var consumer in _consumers)
        {
            consumer.Observe(passed, state.Epoch);
        }

        // Drop the references so the buffer does not keep old events alive.
        _passed.Clear();
    }

    private void Advance(long sequence)
    {
        Interlocked.Exchange(ref _processedSequence, sequence);
        var done = Interlocked.Exchange(ref _progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        done.TrySetResult();
    }
}
