using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Runtime.Core.Delivery;
using Runtime.Core.Errors;
using Runtime.Core.Events;
using Runtime.Core.Hosting;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;
using Runtime.Core.Runtimes;
using Runtime.Core.Storage;
using Runtime.Core.Timing;

namespace Runtime.Core.Driver;

/// <summary>Where actors live: the host, which activates, reroutes and unloads them.</summary>
internal interface IActorDirectory
{
    /// <summary>Forgets <paramref name="actor"/> (it unloaded itself).</summary>
    void Remove(RuntimeActor actor);

    /// <summary>Delivers a message that reached an actor after it unloaded to the runtime's current actor.</summary>
    void Reroute(string runtimeId, Message message);

    /// <summary>Records (or clears, with null) a runtime's quarantine.</summary>
    void SetQuarantine(string runtimeId, string? reason);
}

/// <summary>
/// The single writer of one runtime: a mailbox drained by one loop, so no lock is ever shared between runtimes.
/// Each turn mutates the in-memory ledger (non-terminal inputs only), commits one append, then publishes its events
/// and starts any delivery. If a commit fails, the in-memory state is dropped and rebuilt from the store.
/// </summary>
internal sealed partial class RuntimeActor
{
    private const int MaxInputsPerAcceptTurn = 20_000;

    // A turn does not wait for the appends before it unless this many are in flight: with a commit per step (accept,
    // stage, apply) a busy runtime would otherwise put one append in each group commit and wait a commit per step.
    private const int MaxAppendsInFlight = 4;

    private readonly Channel<Message> _mailbox =
        Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ActorContext _context;
    private readonly IActorDirectory _directory;
    private int _started;
    private bool _activated;
    private bool _reloadNeeded;
    private bool _unloaded;
    private RuntimeRecord? _runtime;
    private LiveInputs _live = new(QueueMode.Fifo);
    // Runs in flight, oldest first (at most the policy's MaxRunsInFlight; receipts commit in this order).
    private readonly List<ActiveRun> _runs = [];
    private string? _quarantine;
    private ITimer? _retryTimer;
    private DateTimeOffset _retryDue;

    // The armed retry timer's token; its callback clears it, so a timer that fired (even a little early by the
    // clock) is known to be spent and the next pump arms a new one instead of waiting on it forever.
    private object? _retryPending;
    private ITimer? _idleTimer;
    private DateTimeOffset _lastActivity;
    private List<SettleMessage>? _settleWaiters;
    // Appends handed to the store and not yet flushed, oldest first (at most MaxAppendsInFlight).
    private readonly Queue<PendingAppend> _inFlight = new();
    private RecoveryReport? _lastRecovery;

    public RuntimeActor(string runtimeId, ActorContext context, IActorDirectory directory)
    {
        RuntimeId = runtimeId;
        _context = context;
        _directory = directory;
    }

    public string RuntimeId { get; }

    /// <summary>The destination this runtime delivers to (read by the host to route availability changes).</summary>
    public string Destination { get; private set; } = "";


    private DateTimeOffset Now => _context.Time.GetUtcNow();

    private RuntimePolicy Policy => _runtime!.Policy;

    /// <summary>Starts the mailbox loop once.</summary>
    public void EnsureStarted()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            Completion = Task.Run(LoopAsync);
        }
    }

    /// <summary>The mailbox loop; completes once the actor has unloaded or stopped.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Queues a message; false when the actor has unloaded (ask the host for the current one).</summary>
    public bool TryPost(Message message) => _mailbox.Writer.TryWrite(message);

    private async Task LoopAsync()
    {
        var reader = _mailbox.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var message))
            {
                if (_unloaded)
                {
                    _directory.Reroute(RuntimeId, message);
                    continue;
                }

                try
                {
                    await HandleAsync(message);
                }
#pragma warning disable CA1031 // The loop must survive anything one message does; the caller gets the error.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    message.Fail(e);
                }
            }

            // The mailbox is empty: let the last append land before answering settle probes or unloading.
            await FlushQuietlyAsync();
            if (!_unloaded)
            {
                CompleteSettleWaiters();
                ConsiderUnloading(fromIdleTimer: false);
            }
        }
    }

    private async Task HandleAsync(Message message)
    {
        if (message is StopMessage stop)
        {
            await FlushQuietlyAsync();
            DropInMemoryState();
            Unload();
            stop.Completion.TrySetResult();
            return;
        }

        if (!_activated || _reloadNeeded)
        {
            if (message is RunEndedMessage or PumpMessage or IdleCheckMessage && !_activated)
            {
                return;
            }

            await ActivateAsync(forced: false, report: null);
        }

        if (message is AcceptMessage or OperationMessage or RunEndedMessage)
        {
            _lastActivity = Now;
        }

        switch (message)
        {
            case AcceptMessage accept:
                await AcceptAsync(accept);
                break;
            case OperationMessage operation:
                await OperateAsync(operation);
                break;
            case RunEndedMessage ended:
                await OnRunEndedAsync(ended);
                break;
            case PumpMessage:
                await PumpTurnAsync();
                break;
            case IdleCheckMessage:
                _idleTimer?.Dispose();
                _idleTimer = null;
                ConsiderUnloading(fromIdleTimer: Now - _lastActivity >= _context.Options.IdleDeactivationDelay);
                return;
            case SettleMessage settle:
                (_settleWaiters ??= []).Add(settle);
                break;
        }
    }

    private async Task OperateAsync(OperationMessage operation)
    {
        // Operations read state back from the store (runs, acked inputs): let every earlier append land first.
        await FlushAsync();
        var turn = new Turn(operation.Kind, Now);
        try
        {
            await operation.ExecuteAsync(this, turn);
            Pump(turn);
        }
        catch
        {
            if (turn.HasChanges)
            {
                _reloadNeeded = true;
            }

            throw;
        }

        turn.AfterCommit.Add(operation.Complete);
        turn.OnFailure.Add(operation.Fail);
        await CommitAsync(turn);
    }

    private async Task PumpTurnAsync()
    {
        if (_runtime is null || _quarantine is not null)
        {
            return;
        }

        var turn = new Turn("pump", Now);
        Pump(turn);
        await CommitAsync(turn);
    }

    /// <summary>
    /// Hands the turn to the store as one append and returns without waiting for it, so the next turns are computed while
    /// this one is written (a pipeline up to <see cref="MaxAppendsInFlight"/> appends deep; the store writes them in
    /// order and checks each one's expected sequence, so none commits after one that failed). Appends are flushed in
    /// order: a turn's callers are answered, its events published and its deliveries started only once it committed.
    /// The append is built from snapshots, since memory moves on while the store writes.
    /// </summary>
    private async Task CommitAsync(Turn turn)
    {
        try
        {
            // A runtime's store key is known only once its creation committed: later appends need it.
            var creating = _inFlight.Any(p => p.Append is { CreatesRuntime: true });
            await FlushAsync(creating ? 0 : MaxAppendsInFlight - 1);
        }
        catch (Exception e)
        {
            // An earlier append failed, and this turn was computed on top of it: neither is durable.
            foreach (var fail in turn.OnFailure)
            {
                fail(e);
            }

            return;
        }

        LedgerAppend? append = null;
        if (turn.HasChanges && _runtime is not null)
        {
            var runtime = _runtime;
            runtime.UpdatedAt = turn.Now;
            runtime.LiveFloor = _live.LowestPosition() ?? runtime.NextPosition;
            append = new LedgerAppend
            {
                Runtime = runtime.Snapshot(),
                CreatesRuntime = turn.CreatesRuntime,
                ExpectedSequence = runtime.LedgerSequence,
                OwnerEpoch = runtime.OwnerEpoch,
                Kind = turn.Kind,
                Inserted = turn.Inserted.ConvertAll(Written),
                Updated = turn.Updated.Select(Written).ToList(),
                Receipts = turn.Receipts,
                Runs = turn.Runs.ConvertAll(run => run.Snapshot()),
                Events = turn.Events,
            };
            turn.Append = append;
            runtime.LedgerSequence++; // as the store will have it once this append commits (or memory is rebuilt)
        }

        var written = append is null ? Task.CompletedTask : _context.Store.AppendAsync(append, CancellationToken.None);
        _inFlight.Enqueue(new PendingAppend(written, turn, append));
    }

    /// <summary>Snapshots an input for the store (from now on it is written again only when off the common path).</summary>
    private static InputRecord Written(InputRecord input)
    {
        var snapshot = input.Snapshot();
        input.IsNew = false;
        return snapshot;
    }

    /// <summary>
    /// Waits for the appends in flight, oldest first, until at most <paramref name="keep"/> remain; for each that
    /// committed: answers its callers, publishes its events and runs its follow-ups. When one failed: fails its callers
    /// and those of every later append (computed on top of it, so refused by the store too), marks memory for a rebuild
    /// from the ledger and throws.
    /// </summary>
    private async Task FlushAsync(int keep = 0)
    {
        while (_inFlight.Count > keep)
        {
            var pending = _inFlight.Dequeue();
            try
            {
                await pending.Written;
            }
            catch (Exception e)
            {
                _reloadNeeded = true;
                Fail(pending, e);
                while (_inFlight.TryDequeue(out var later))
                {
                    await later.Written.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    Fail(later, e);
                }

                throw;
            }

            if (pending.Append is { CreatesRuntime: true } created && _runtime is not null)
            {
                _runtime.Key = created.Runtime.Key;
            }

            foreach (var action in pending.Turn.AfterCommit)
            {
                action();
            }
        }

        static void Fail(PendingAppend pending, Exception error)
        {
            foreach (var fail in pending.Turn.OnFailure)
            {
                fail(error);
            }
        }
    }

    /// <summary>A new input of a turn still in flight with this idempotency key or client id (not yet in the store).</summary>
    private InputRecord? InFlightNew(Func<Turn, InputRecord?> find)
    {
        foreach (var pending in _inFlight)
        {
            if (find(pending.Turn) is { } input)
            {
                return input;
            }
        }

        return null;
    }

    /// <summary>Flushes, swallowing a failure (already reported to its callers and marked for a rebuild).</summary>
    private async Task FlushQuietlyAsync()
    {
        try
        {
            await FlushAsync();
        }
#pragma warning disable CA1031 // The failure went to the callers of the failed append.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private sealed record PendingAppend(Task Written, Turn Turn, LedgerAppend? Append);

    // ---- transitions: the only places phases and states change ----

    /// <summary>Moves an input through the phase table, keeping counts, indexes, history and events in step.</summary>
    private void MoveInput(Turn turn, InputRecord input, InputPhase to, string reason, AbandonReason abandon = AbandonReason.None)
    {
        var from = input.Phase;
        input.Phase = InputPhaseMachine.Move(from, to);
        if (!input.OffCommonPath && !CommonPath.Allows(input, from, to, reason, input.ConsumePoint ?? Policy.ConsumePoint))
        {
            input.OffCommonPath = true;
        }

        var now = turn.Now;
        var counts = _runtime!.PhaseCounts;
        counts[(int)from]--;
        counts[(int)to]++;
        input.UpdatedAt = now;
        if (to == InputPhase.Abandoned)
        {
            input.AbandonReason = abandon;
        }

        input.History = TransitionLog.Append(input.History, now, from, to, reason);
        turn.Touch(input);
        if (from == InputPhase.Queued)
        {
            _live.Dequeue(input);
        }

        if (InputPhaseMachine.IsTerminal(to))
        {
            _live.Remove(input);
        }
        else if (to == InputPhase.Queued)
        {
            _live.Enqueue(input);
        }

        if (Observes(EventCategory.InputLifecycle))
        {
            turn.Events.Add(new RuntimeEvent
            {
                Kind = RuntimeEventKind.InputTransitioned,
                Time = now,
                RuntimeId = RuntimeId,
                InputId = input.InputId,
                RunId = input.LastRunId.Length > 0 ? input.LastRunId : null,
                Destination = Destination.Length > 0 ? Destination : null,
                InputKind = input.Kind,
                FromPhase = from,
                ToPhase = to,
                PayloadType = input.PayloadType,
                Bytes = input.Payload.Length,
                Latency = to == InputPhase.Consumed ? now - input.CreatedAt : null,
                Attempt = input.AttemptCount,
                Reason = abandon == AbandonReason.None ? reason : abandon.ToString(),
            });
        }
    }

    /// <summary>Moves the runtime through the state table (staying put is not a move).</summary>
    private void MoveRuntime(Turn turn, RuntimeState to)
    {
        var from = _runtime!.State;
        if (from == to)
        {
            return;
        }

        _runtime.State = RuntimeStateMachine.Move(from, to);
        turn.RuntimeChanged = true;
        if (Observes(EventCategory.RuntimeState))
        {
            turn.Events.Add(new RuntimeEvent
            {
                Kind = RuntimeEventKind.RuntimeStateChanged,
                Time = turn.Now,
                RuntimeId = RuntimeId,
                Destination = Destination.Length > 0 ? Destination : null,
                FromState = from,
                ToState = to,
            });
        }
    }

    /// <summary>Whether events of <paramref name="category"/> are produced (a plain check: no closure per event).</summary>
    private bool Observes(EventCategory category) => _context.Categories.IsEnabled(category);

    private bool DestinationReady =>
        Destination.Length > 0 && _context.Port.GetAvailability(Destination) == DestinationAvailability.Available;

    /// <summary>IDLE or ATTACHED as the destination allows, when nothing is in flight.</summary>
    private void SettleIdleOrAttached(Turn turn)
    {
        if (_runs.Count == 0 && _runtime!.State is RuntimeState.Idle or RuntimeState.Attached or RuntimeState.Running or RuntimeState.Recovering)
        {
            MoveRuntime(turn, DestinationReady ? RuntimeState.Attached : RuntimeState.Idle);
        }
    }

    private RuntimeException NotFound() =>
        Fail.NotFound("RUNTIME_NOT_FOUND", $"Runtime '{RuntimeId}' does not exist.", ("runtime_id", RuntimeId));

    private const string QuarantineReason = "RECOVERY_CORRUPTION";

    private RuntimeException Quarantined() =>
        new(ErrorKind.FailedPrecondition, QuarantineReason,
            $"Runtime '{RuntimeId}' is quarantined: {_quarantine}",
            new Dictionary<string, string> { ["runtime_id"] = RuntimeId, ["problem"] = _quarantine ?? "" });

    /// <summary>The runtime, or NOT_FOUND; FAILED_PRECONDITION while quarantined.</summary>
    private RuntimeRecord Existing()
    {
        if (_runtime is null)
        {
            throw NotFound();
        }

        return _quarantine is null ? _runtime : throw Quarantined();
    }

    private void CompleteSettleWaiters()
    {
        if (_settleWaiters is { Count: > 0 } waiters && _runs.TrueForAll(r => r.AwaitingCompletion))
        {
            foreach (var waiter in waiters)
            {
                waiter.Completion.TrySetResult();
            }

            waiters.Clear();
        }
    }

    /// <summary>Unloads when nothing non-terminal is held and nothing is in flight (after the idle delay).</summary>
    private void ConsiderUnloading(bool fromIdleTimer)
    {
        var idle = _runtime is null ||
                   _runtime.State == RuntimeState.Destroyed ||
                   (_live.Count == 0 && _runs.Count == 0 && _quarantine is null && !_reloadNeeded);
        if (!idle || _settleWaiters is { Count: > 0 })
        {
            _idleTimer?.Dispose();
            _idleTimer = null;
            return;
        }

        var delay = _context.Options.IdleDeactivationDelay;
        if (_runtime is null || _runtime.State == RuntimeState.Destroyed || delay <= TimeSpan.Zero || fromIdleTimer)
        {
            Unload();
            return;
        }

        // Armed once per idle spell; when it fires it unloads only if nothing happened for the whole delay since.
        var wait = delay - (Now - _lastActivity);
        _idleTimer ??= _context.Time.CreateTimer(_ => TryPost(IdleCheckMessage.Instance), null,
            SaturatingTime.TimerDelay(wait), Timeout.InfiniteTimeSpan);
    }

    private void Unload()
    {
        _unloaded = true;
        _idleTimer?.Dispose();
        _retryTimer?.Dispose();
        _directory.Remove(this);
        _mailbox.Writer.TryComplete();
        _context.Logger.LogDebug("Runtime {RuntimeId} unloaded", RuntimeId);
    }
}
