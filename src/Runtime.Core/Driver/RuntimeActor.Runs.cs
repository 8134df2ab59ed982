using System.Security.Cryptography;
using Runtime.Core.Delivery;
using Runtime.Core.Events;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;
using Runtime.Core.Runtimes;
using Runtime.Core.Storage;
using Runtime.Core.Timing;

namespace Runtime.Core.Driver;

internal sealed partial class RuntimeActor
{
    /// <summary>The oldest run in flight, if any (for GetRuntimeState).</summary>
    private string? CurrentRunId => _runs.Count > 0 ? _runs[0].Record.RunId : null;

    /// <summary>
    /// Starts runs while the runtime may process (IDLE, ATTACHED, RUNNING, or RETIRED draining), fewer than the policy's
    /// <see cref="RuntimePolicy.MaxRunsInFlight"/> are in flight, none awaits its completion, its destination is ready and
    /// the head of the queue is due. Each run takes queued inputs in delivery order up to the batch size, stopping at
    /// the first one still waiting for its retry time, so FIFO order survives retries. With nothing in flight and
    /// nothing to start, settles IDLE/ATTACHED and arms the retry timer for the head of the queue.
    /// </summary>
    private void Pump(Turn turn)
    {
        if (_runtime is null || _quarantine is not null ||
            _runtime.State is not (RuntimeState.Idle or RuntimeState.Attached or RuntimeState.Running or RuntimeState.Retired) ||
            (_runtime.State == RuntimeState.Running && _runs.Count == 0))
        {
            return;
        }

        var ready = DestinationReady;
        DateTimeOffset? wakeAt = null;
        // A run that will await its completion (ON_RUN_COMPLETE) is not pipelined: it holds the line until reported.
        while (ready && _runs.Count < Policy.MaxRunsInFlight && !_runs.Exists(AwaitsCompletion))
        {
            var (batch, due) = NextBatch(turn.Now);
            wakeAt = due;
            if (batch is null)
            {
                break;
            }

            Stage(turn, batch);
        }

        if (_runs.Count == 0)
        {
            if (_runtime.State != RuntimeState.Retired)
            {
                SettleIdleOrAttached(turn);
            }

            ArmRetryTimer(wakeAt);
        }
        else if (wakeAt is not null)
        {
            ArmRetryTimer(wakeAt);
        }
    }

    /// <summary>True when the run awaits, or once applied will await, its completion being reported.</summary>
    private bool AwaitsCompletion(ActiveRun run) =>
        run.AwaitingCompletion || run.Inputs.Exists(i => (i.ConsumePoint ?? Policy.ConsumePoint) == ConsumePoint.OnRunComplete);

    /// <summary>The next run's inputs in delivery order (null when none is due), and when the first waiting one is due.</summary>
    private (List<InputRecord>? Batch, DateTimeOffset? WakeAt) NextBatch(DateTimeOffset now)
    {
        List<InputRecord>? batch = null;
        foreach (var input in _live.Queue)
        {
            if (input.NextAttemptAt is { } due && due > now)
            {
                return (batch, due);
            }

            (batch ??= []).Add(input);
            if (batch.Count >= Policy.MaxBatchPerRun)
            {
                break;
            }
        }

        return (batch, null);
    }

    private void Stage(Turn turn, List<InputRecord> batch)
    {
        var now = turn.Now;
        var runId = Guid.CreateVersion7(now).ToString();
        foreach (var input in batch)
        {
            input.AttemptCount++;
            input.LastRunId = runId;
            input.NextAttemptAt = null;
            MoveInput(turn, input, InputPhase.Staged, CommonPath.StagedReason(runId, input.AttemptCount));
        }

        MoveRuntime(turn, RuntimeState.Running);
        var record = new RunRecord
        {
            RunId = runId,
            Status = RunStatus.InFlight,
            InputIds = batch.ConvertAll(i => i.InputId),
            Positions = batch.ConvertAll(i => i.Position),
            StartedAt = now,
        };
        turn.Runs.Add(record);
        var run = new ActiveRun(record, batch, Destination);
        _runs.Add(run);
        if (Observes(EventCategory.RunLifecycle))
        {
            turn.Events.Add(new RuntimeEvent
            {
                Kind = RuntimeEventKind.RunStarted,
                Time = now,
                RuntimeId = RuntimeId,
                RunId = runId,
                Destination = run.Destination,
                Bytes = batch.Sum(i => (long)i.Payload.Length),
                Attempt = batch.Max(i => i.AttemptCount),
            });
        }

        turn.AfterCommit.Add(() => _ = DeliverAsync(run));
    }

    /// <summary>Hands the run to the port (outside the actor loop) and mails the outcome back.</summary>
    private async Task DeliverAsync(ActiveRun run)
    {
        var items = run.Inputs.ConvertAll(i =>
            new DeliveryItem(i.InputId, i.Kind, i.Payload, i.ContentType, i.Headers, i.PayloadType));
        var delivery = new RunDelivery(RuntimeId, run.Record.RunId, run.Destination, run.Inputs.Max(i => i.AttemptCount), items);
        DeliveryResult result;
        try
        {
            result = await _context.Port.DeliverAsync(delivery, run.Cancellation.Token);
        }
        catch (OperationCanceledException) when (run.Cancellation.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // A port must report failures, but one that throws still only fails this run.
        catch (Exception e)
#pragma warning restore CA1031
        {
            result = new DeliveryResult(DeliveryStatus.RetryableFailure, e.Message);
        }

        var ended = new RunEndedMessage(run, result);
        if (!TryPost(ended))
        {
            _directory.Reroute(RuntimeId, ended);
        }
    }

    /// <summary>
    /// A delivery answered. Runs end in staging order: the answer is kept until every earlier run has ended, then the runs
    /// at the head are applied or failed one after another in one turn. A failure sends the inputs of every later run
    /// back to the queue (their answers no longer count), so they are delivered again after the failed run's retry.
    /// </summary>
    private async Task OnRunEndedAsync(RunEndedMessage ended)
    {
        var run = ended.Run;
        if (!_runs.Contains(run) || run.AwaitingCompletion || run.Result is not null)
        {
            return; // a run this instance no longer owns (recovered, destroyed, recycled or withdrawn meanwhile)
        }

        run.Result = ended.Result;
        if (!ReferenceEquals(_runs[0], run))
        {
            return; // an earlier run is still out: receipts commit in order
        }

        var turn = new Turn("run", Now);
        try
        {
            EndAnsweredRuns(turn);
            Pump(turn);
        }
        catch
        {
            // Memory moved on and nothing was written: rebuild from the store, where the run is still open and
            // recovery puts its inputs back in the queue, rather than keep a run in flight that nothing will end.
            _reloadNeeded = true;
            throw;
        }

        await CommitAsync(turn);
    }

    /// <summary>Applies or fails the answered runs at the head of the line, in order, up to one awaiting completion.</summary>
    private void EndAnsweredRuns(Turn turn)
    {
        while (_runs.Count > 0 && _runs[0] is { Result: { } result, AwaitingCompletion: false } head)
        {
            if (result.Status == DeliveryStatus.Acked)
            {
                ApplyRun(turn, head);
                continue;
            }

            FailRun(turn, head, result);
            WithdrawLaterRuns(turn, head.Record.RunId);
        }
    }

    /// <summary>Sends every run still in flight back to the queue after <paramref name="failedRunId"/> failed.</summary>
    private void WithdrawLaterRuns(Turn turn, string failedRunId)
    {
        foreach (var later in _runs.ToList())
        {
            later.Cancellation.Cancel();
            foreach (var input in later.Inputs)
            {
                // The attempt never counted: it was staged behind a run that failed, and goes again in order.
                input.AttemptCount--;
                MoveInput(turn, input, InputPhase.Queued, $"run {later.Record.RunId} withdrawn: earlier run {failedRunId} failed");
            }

            CloseRun(turn, later, RunStatus.Interrupted, $"withdrawn: earlier run {failedRunId} failed");
        }
    }

    /// <summary>
    /// The destination acknowledged: one boundary receipt (next sequence, SHA-256 over the payloads in delivery
    /// order) and the inputs' moves to APPLIED and on, in the same commit.
    /// </summary>
    private void ApplyRun(Turn turn, ActiveRun run)
    {
        var now = turn.Now;
        var sequence = ++_runtime!.BoundarySequence;
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var input in run.Inputs)
        {
            digest.AppendData(input.Payload.Span);
        }

        turn.Receipts.Add(new ReceiptRecord(sequence, run.Record.RunId, run.Record.InputIds,
            Convert.ToHexStringLower(digest.GetHashAndReset()), now));
        var awaiting = new List<InputRecord>();
        foreach (var input in run.Inputs)
        {
            input.LastBoundarySequence = sequence;
            input.LastError = "";
            MoveInput(turn, input, InputPhase.Applied, CommonPath.AppliedReason(sequence));
            switch (input.ConsumePoint ?? Policy.ConsumePoint)
            {
                case ConsumePoint.OnRunComplete:
                    awaiting.Add(input);
                    break;
                case ConsumePoint.ExplicitAck:
                    MoveInput(turn, input, InputPhase.AppliedPendingConsumption, "awaiting explicit ack");
                    break;
                default:
                    MoveInput(turn, input, InputPhase.Consumed, CommonPath.ConsumedOnApplyReason);
                    break;
            }
        }

        if (awaiting.Count > 0)
        {
            run.Inputs.Clear();
            run.Inputs.AddRange(awaiting);
            run.Record.Status = RunStatus.AwaitingCompletion;
            turn.Runs.Add(run.Record);
            return;
        }

        CloseRun(turn, run, RunStatus.Completed, "");
    }

    /// <summary>
    /// Delivery failed: permanent failures and drops abandon the inputs; retryable ones go back to QUEUED with a stored
    /// retry time (exponential backoff, or the destination's Retry-After when longer) until attempts run out.
    /// </summary>
    private void FailRun(Turn turn, ActiveRun run, DeliveryResult result)
    {
        var now = turn.Now;
        var error = result.Error ?? result.Status.ToString();
        foreach (var input in run.Inputs)
        {
            input.LastError = error;
            if (result.Status is DeliveryStatus.PermanentFailure or DeliveryStatus.Dropped)
            {
                MoveInput(turn, input, InputPhase.Abandoned, $"run {run.Record.RunId} {result.Status}: {error}", AbandonReason.NeverExecuted);
            }
            else if (input.AttemptCount >= MaxAttempts(input))
            {
                MoveInput(turn, input, InputPhase.Abandoned, $"attempt {input.AttemptCount} failed: {error}", AbandonReason.MaxAttemptsExhausted);
            }
            else if (Policy.QueueMode == QueueMode.Supersede && input.SupersessionKey.Length > 0 &&
                     !ReferenceEquals(_live.LatestWithSupersessionKey(input.SupersessionKey), input))
            {
                MoveInput(turn, input, InputPhase.Superseded, "superseded while its run failed");
            }
            else
            {
                var delay = Policy.RetryBackoff.WaitAfter(input.AttemptCount, result.RetryAfter);
                input.NextAttemptAt = SaturatingTime.Add(now, delay);
                MoveInput(turn, input, InputPhase.Queued, $"attempt {input.AttemptCount} failed: {error}; retry at {input.NextAttemptAt:O}");
            }
        }

        CloseRun(turn, run, RunStatus.Failed, error);
    }

    /// <summary>Ends the run in the ledger and moves the runtime off RUNNING.</summary>
    private void CloseRun(Turn turn, ActiveRun run, RunStatus status, string error)
    {
        var now = turn.Now;
        run.Record.Status = status;
        run.Record.EndedAt = now;
        run.Record.Error = error;
        turn.Runs.Add(run.Record);
        _runs.Remove(run);
        if (Observes(EventCategory.RunLifecycle))
        {
            turn.Events.Add(new RuntimeEvent
            {
                Kind = status == RunStatus.Completed ? RuntimeEventKind.RunCompleted : RuntimeEventKind.RunFailed,
                Time = now,
                RuntimeId = RuntimeId,
                RunId = run.Record.RunId,
                Destination = run.Destination,
                Latency = now - run.Record.StartedAt,
                Reason = error.Length > 0 ? error : null,
            });
        }

        if (_runtime!.State == RuntimeState.Running && _runs.Count == 0)
        {
            MoveRuntime(turn, _runtime.Retiring ? RuntimeState.Retired : DestinationReady ? RuntimeState.Attached : RuntimeState.Idle);
        }

        FinishRetirementIfDrained(turn);
    }

    /// <summary>A retiring runtime stops once nothing is queued, staged or in flight.</summary>
    private void FinishRetirementIfDrained(Turn turn)
    {
        if (_runtime is { Retiring: true, State: RuntimeState.Retired } && _runs.Count == 0 &&
            _runtime.PhaseCounts[(int)InputPhase.Queued] == 0 && _runtime.PhaseCounts[(int)InputPhase.Staged] == 0 &&
            _runtime.PhaseCounts[(int)InputPhase.Accepted] == 0)
        {
            MoveRuntime(turn, RuntimeState.Stopped);
        }
    }

    private void ArmRetryTimer(DateTimeOffset? due)
    {
        if (due is not { } at)
        {
            return;
        }

        if (_retryTimer is not null && _retryDue == at && Volatile.Read(ref _retryPending) is not null)
        {
            return;
        }

        _retryTimer?.Dispose();
        _retryDue = at;
        var token = new object();
        _retryPending = token;
        _retryTimer = _context.Time.CreateTimer(OnRetryTimer, token, SaturatingTime.TimerDelay(at - Now), Timeout.InfiniteTimeSpan);
    }

    private void OnRetryTimer(object? token)
    {
        // Only the current timer's token is cleared: a timer replaced meanwhile must not mark its successor spent.
        Interlocked.CompareExchange(ref _retryPending, null, token);
        TryPost(PumpMessage.Instance);
    }
}
