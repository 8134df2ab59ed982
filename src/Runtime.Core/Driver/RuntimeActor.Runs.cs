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
    /// <summary>
    /// Starts a run when the runtime may process (IDLE, ATTACHED, or RETIRED draining), nothing is in flight, its
    /// destination is ready and the head of the queue is due. Takes queued inputs in delivery order up to the batch
    /// size, stopping at the first one still waiting for its retry time, so FIFO order survives retries.
    /// Otherwise settles IDLE/ATTACHED and arms the retry timer for the head of the queue.
    /// </summary>
    private void Pump(Turn turn)
    {
        if (_runtime is null || _quarantine is not null || _run is not null ||
            _runtime.State is not (RuntimeState.Idle or RuntimeState.Attached or RuntimeState.Retired))
        {
            return;
        }

        var now = turn.Now;
        var ready = DestinationReady;
        List<InputRecord>? batch = null;
        DateTimeOffset? wakeAt = null;
        if (ready)
        {
            foreach (var input in _live.Queue)
            {
                if (input.NextAttemptAt is { } due && due > now)
                {
                    wakeAt = due;
                    break;
                }

                (batch ??= []).Add(input);
                if (batch.Count >= Policy.MaxBatchPerRun)
                {
                    break;
                }
            }
        }

        if (batch is null)
        {
            if (_runtime.State != RuntimeState.Retired)
            {
                SettleIdleOrAttached(turn);
            }

            ArmRetryTimer(wakeAt);
            return;
        }

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
        _run = run;
        CurrentRunId = runId;
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

    private async Task OnRunEndedAsync(RunEndedMessage ended)
    {
        var run = ended.Run;
        if (!ReferenceEquals(run, _run) || run.AwaitingCompletion)
        {
            return; // a run this instance no longer owns (recovered, destroyed or recycled meanwhile)
        }

        var turn = new Turn("run", Now);
        try
        {
            if (ended.Result.Status == DeliveryStatus.Acked)
            {
                ApplyRun(turn, run);
            }
            else
            {
                FailRun(turn, run, ended.Result);
            }

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
        _run = null;
        CurrentRunId = null;
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

        if (_runtime!.State == RuntimeState.Running)
        {
            MoveRuntime(turn, _runtime.Retiring ? RuntimeState.Retired : DestinationReady ? RuntimeState.Attached : RuntimeState.Idle);
        }

        FinishRetirementIfDrained(turn);
    }

    /// <summary>A retiring runtime stops once nothing is queued, staged or in flight.</summary>
    private void FinishRetirementIfDrained(Turn turn)
    {
        if (_runtime is { Retiring: true, State: RuntimeState.Retired } && _run is null &&
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
