using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Runtime.Core.Errors;
using Runtime.Observation.Subscriptions;
using Runtime.Observation.Timing;

namespace Runtime.Observation.Observers;

/// <summary>
/// Runs one observer every interval on a <see cref="TimeProvider"/>: cycle 0 is the initial snapshot, every later
/// cycle refreshes the sources and polls; non-empty cycles become batches kept in a bounded history and offered to
/// the attached subscriptions. A failed cycle is recorded and the last good snapshot kept. Missed ticks are delayed
/// (the next cycle runs one interval after the late one), never run in a burst.
/// </summary>
public sealed class ObserverRunner : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly ICycleSource _source;
    private readonly CycleNumbering _numbering;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Queue<ObservationBatch> _history = new();
    private readonly List<ObserverFeed> _feeds = [];
    private readonly List<(long Cycle, TaskCompletionSource Reached)> _cycleWaiters = [];
    private ObservationSnapshot? _snapshot;
    private ObservationFailure? _lastFailure;
    private long _cycle = -1;
    private long _lastBatchCycle;
    private long _trimmedThrough;
    private CancellationTokenSource? _stopping;
    private Task? _loop;

    private ObserverRunner(
        string name, ObserverSettings settings, ICycleSource source, CycleNumbering numbering, TimeProvider time, ILogger logger)
    {
        Name = name;
        Settings = settings;
        _source = source;
        _numbering = numbering;
        _time = time;
        _logger = logger;
        _trimmedThrough = numbering.FirstCycle;
        _lastBatchCycle = numbering.FirstCycle;
    }

    /// <summary>The observer's name (how subscribers choose it).</summary>
    public string Name { get; }

    /// <summary>Interval and history limit.</summary>
    public ObserverSettings Settings { get; }

    /// <summary>This process's first cycle: the initial snapshot (cycles continue across restarts).</summary>
    public long FirstCycle => _numbering.FirstCycle;

    /// <summary>The last cycle attempted (-1 before start).</summary>
    public long CurrentCycle
    {
        get
        {
            lock (_lock)
            {
                return _cycle;
            }
        }
    }

    /// <summary>
    /// Creates a runner for <paramref name="observer"/> over <paramref name="sources"/>; call StartAsync next.
    /// <paramref name="numbering"/> decides where its cycles start (in-memory from 0 when null).
    /// </summary>
    public static ObserverRunner Create<TSource, TState>(
        string name,
        ISourceProvider<TSource> sources,
        IObserver<TSource, TState> observer,
        ObserverSettings settings,
        TimeProvider time,
        ILogger? logger = null,
        CycleNumbering? numbering = null)
        where TState : class =>
        new(name, settings, new CycleSource<TSource, TState>(sources, observer), numbering ?? CycleNumbering.InMemory(), time,
            logger ?? NullLogger.Instance);

    /// <summary>
    /// Validates the settings, takes the initial snapshot (<see cref="FirstCycle"/>) and starts the cycle loop. Throws
    /// <see cref="OptionsValidationException"/> for a zero interval and a <see cref="RuntimeException"/> when the
    /// initial snapshot fails.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (Settings.Interval <= TimeSpan.Zero)
        {
            problems.Add($"Observer '{Name}': Interval must be greater than zero (got {Settings.Interval}).");
        }

        if (Settings.HistoryLimit < 0)
        {
            problems.Add($"Observer '{Name}': HistoryLimit must not be negative (got {Settings.HistoryLimit}).");
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Name, typeof(ObserverSettings), problems);
        }

        if (_loop is not null)
        {
            return;
        }

        CycleResult initial;
        try
        {
            initial = await _source.InitAsync(cancellationToken);
        }
        catch (CycleFailedException failure)
        {
            throw new RuntimeException(
                ErrorKind.Unavailable,
                "OBSERVER_START_FAILED",
                $"Observer {Name} could not take its initial snapshot ({failure.Stage}): {failure.Message}",
                new Dictionary<string, string> { ["observer"] = Name, ["stage"] = failure.Stage.ToString() },
                inner: failure.InnerException);
        }

        if (!_numbering.TryCover(FirstCycle))
        {
            throw new RuntimeException(
                ErrorKind.Unavailable,
                "OBSERVER_START_FAILED",
                $"Observer {Name} could not reserve its cycle numbers on disk.",
                new Dictionary<string, string> { ["observer"] = Name });
        }

        var startedAt = _time.GetUtcNow();
        Record(FirstCycle, startedAt, initial, failure: null);
        _stopping = new CancellationTokenSource();
        _loop = Task.Run(() => LoopAsync(startedAt, _stopping.Token), CancellationToken.None);
    }

    /// <summary>Stops the cycle loop and waits for it to end.</summary>
    public async Task StopAsync()
    {
        if (_stopping is null || _loop is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _loop;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping?.Dispose();
    }

    /// <summary>The last good snapshot. Throws UNAVAILABLE before the runner has started.</summary>
    public ObservationSnapshot GetSnapshot()
    {
        lock (_lock)
        {
            return _snapshot ?? throw NotStarted();
        }
    }

    /// <summary>Batches after <paramref name="afterCycle"/>, at most <paramref name="maxBatches"/>, with a gap if some were trimmed.</summary>
    public ObserverHistory GetHistory(long afterCycle, int maxBatches)
    {
        lock (_lock)
        {
            var gap = afterCycle < _trimmedThrough
                ? new ObservationGap(Name, afterCycle + 1, _trimmedThrough, LostReason(afterCycle, ObservationGapReason.Trimmed))
                : null;
            var batches = _history.Where(b => b.Cycle > afterCycle).Take(maxBatches).ToArray();
            return new ObserverHistory(batches, gap, _cycle);
        }
    }

    /// <summary>The observer's status for ListObservers.</summary>
    public ObserverStatus GetStatus()
    {
        lock (_lock)
        {
            return new ObserverStatus
            {
                Name = Name,
                Interval = Settings.Interval,
                HistoryLimit = Settings.HistoryLimit,
                FirstCycle = FirstCycle,
                CurrentCycle = _cycle,
                SnapshotCycle = _snapshot?.Cycle,
                LastBatchCycle = _lastBatchCycle,
                OldestHistoryCycle = _history.Count > 0 ? _history.Peek().Cycle : null,
                HistoryCount = _history.Count,
                LastFailure = _lastFailure,
                Subscribers = _feeds.Count,
            };
        }
    }

    /// <summary>Completes once cycle <paramref name="cycle"/> has been attempted (succeeded or failed).</summary>
    public Task WhenCycleAsync(long cycle, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_cycle >= cycle)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _cycleWaiters.Add((cycle, reached));
            return reached.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The newest batch cycle (for lag).</summary>
    internal long LastBatchCycle
    {
        get
        {
            lock (_lock)
            {
                return _lastBatchCycle;
            }
        }
    }

    /// <summary>
    /// Attaches a subscription's feed, atomically with what it must see first: after <paramref name="afterCycle"/>
    /// the batches still in history, or a gap and a fresh snapshot when they are not; without a resume point the
    /// current snapshot when asked for. Live batches then follow through the feed's buffer with no hole or repeat.
    /// </summary>
    internal FeedStart Attach(ObserverFeed feed, long? afterCycle, bool includeSnapshot, ObservationGapReason lostReason)
    {
        lock (_lock)
        {
            var snapshot = _snapshot ?? throw NotStarted();
            FeedStart start;
            if (afterCycle is not { } after)
            {
                start = new FeedStart(null, includeSnapshot ? snapshot : null, [], snapshot.Cycle);
            }
            else if (after > _cycle)
            {
                start = new FeedStart(
                    new ObservationGap(Name, 0, snapshot.Cycle, ObservationGapReason.UnknownCycle, snapshot.Cycle), snapshot, [],
                    snapshot.Cycle);
            }
            else if (after >= _trimmedThrough)
            {
                var backlog = _history.Where(b => b.Cycle > after).ToArray();
                start = new FeedStart(null, null, backlog, backlog.Length > 0 ? backlog[^1].Cycle : after);
            }
            else
            {
                start = new FeedStart(
                    new ObservationGap(Name, after + 1, _trimmedThrough, LostReason(after, lostReason), snapshot.Cycle), snapshot, [],
                    snapshot.Cycle);
            }

            feed.Resume(start.Cursor);
            if (!_feeds.Contains(feed))
            {
                _feeds.Add(feed);
            }

            return start;
        }
    }

    /// <summary>Detaches a feed (its subscription ended).</summary>
    internal void Detach(ObserverFeed feed)
    {
        lock (_lock)
        {
            _feeds.Remove(feed);
        }
    }

    private RuntimeException NotStarted() => new(
        ErrorKind.Unavailable,
        "OBSERVER_NOT_STARTED",
        $"Observer {Name} has not taken its initial snapshot yet; retry shortly.",
        new Dictionary<string, string> { ["observer"] = Name });

    /// <summary>Why batches after <paramref name="after"/> are gone: an earlier process made them, or history was trimmed.</summary>
    private ObservationGapReason LostReason(long after, ObservationGapReason trimmed) =>
        after < FirstCycle ? ObservationGapReason.Restarted : trimmed;

    private async Task LoopAsync(DateTimeOffset startedAt, CancellationToken stopping)
    {
        var due = startedAt + Settings.Interval;
        try
        {
            for (var cycle = FirstCycle + 1; !stopping.IsCancellationRequested; cycle++)
            {
                await TimedWait.UntilAsync(due, _time, stopping);
                var fired = _time.GetUtcNow();
                await RunCycleAsync(cycle, stopping);

                // Late ticks are not made up: the next one is an interval after the late one fired.
                due = (fired > due ? fired : due) + Settings.Interval;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task RunCycleAsync(long cycle, CancellationToken stopping)
    {
        try
        {
            var result = await _source.PollAsync(stopping);
            if (!_numbering.TryCover(cycle))
            {
                throw new CycleFailedException(
                    ObservationFailureStage.Poll, result.SourceCount, new IOException("The cycle number could not be reserved on disk."));
            }

            Record(cycle, _time.GetUtcNow(), result, failure: null);
        }
        catch (CycleFailedException failed)
        {
            var failure = new ObservationFailure(cycle, _time.GetUtcNow(), failed.SourceCount, failed.Stage, failed.Message);
            _logger.LogWarning(
                failed.InnerException,
                "Observer {Observer} cycle {Cycle} failed at {Stage}: {Message}",
                Name,
                cycle,
                failed.Stage,
                failed.Message);
            Record(cycle, failure.Time, result: null, failure);
        }
    }

    private void Record(long cycle, DateTimeOffset time, CycleResult? result, ObservationFailure? failure)
    {
        List<TaskCompletionSource> reached = [];
        lock (_lock)
        {
            _cycle = cycle;
            if (result is not null)
            {
                _snapshot = new ObservationSnapshot(Name, cycle, time, result.SourceCount, result.Content);
                _lastFailure = null;
                if (result.Events.Count > 0)
                {
                    Append(new ObservationBatch(Name, cycle, time, result.SourceCount, result.Events));
                }
            }
            else if (failure is not null)
            {
                var news = _lastFailure is null || _lastFailure.Stage != failure.Stage || _lastFailure.Message != failure.Message;
                _lastFailure = failure;
                if (news)
                {
                    var notice = new ObserverFailed(Name, failure);
                    foreach (var feed in _feeds)
                    {
                        feed.Offer(notice);
                    }
                }
            }

            _cycleWaiters.RemoveAll(w =>
            {
                if (w.Cycle > cycle)
                {
                    return false;
                }

                reached.Add(w.Reached);
                return true;
            });
        }

        reached.ForEach(r => r.TrySetResult());
    }

    private void Append(ObservationBatch batch)
    {
        _lastBatchCycle = batch.Cycle;
        _history.Enqueue(batch);
        while (_history.Count > Settings.HistoryLimit)
        {
            _trimmedThrough = _history.Dequeue().Cycle;
        }

        foreach (var feed in _feeds)
        {
            feed.Offer(batch);
        }
    }
}

/// <summary>What a feed sees first when it attaches, and the cycle its live batches continue after.</summary>
internal sealed record FeedStart(
    ObservationGap? Gap, ObservationSnapshot? Snapshot, IReadOnlyList<ObservationBatch> Backlog, long Cursor);
