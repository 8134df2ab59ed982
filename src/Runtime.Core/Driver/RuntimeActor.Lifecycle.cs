using Runtime.Core.Delivery;
using Runtime.Core.Errors;
using Runtime.Core.Events;
using Runtime.Core.Hosting;
using Runtime.Core.Inputs;
using Runtime.Core.Runtimes;
using Runtime.Core.Storage;

namespace Runtime.Core.Driver;

internal sealed partial class RuntimeActor
{
    /// <summary>
    /// Refuses new input and drains the queue, then STOPPED. Without a destination that exists there is nothing to
    /// drain to, so queued inputs are ABANDONED (RETIRED) at once. Idempotent once retiring.
    /// </summary>
    public Task<RetireReport> RetireAsync(Turn turn)
    {
        var runtime = Existing();
        var previous = runtime.State;
        if (runtime.Retiring && runtime.State is RuntimeState.Retired or RuntimeState.Stopped)
        {
            return Task.FromResult(new RetireReport(RuntimeId, previous, runtime.State, true, 0, PendingDrain()));
        }

        MoveRuntime(turn, RuntimeState.Retired);
        runtime.Retiring = true;
        var abandoned = 0;
        if (Destination.Length == 0 || _context.Port.GetAvailability(Destination) == DestinationAvailability.Missing)
        {
            foreach (var input in _live.All.Where(i => i.Phase is InputPhase.Accepted or InputPhase.Queued).ToList())
            {
                MoveInput(turn, input, InputPhase.Abandoned, "retired with no destination to drain to", AbandonReason.Retired);
                abandoned++;
            }
        }

        FinishRetirementIfDrained(turn);
        return Task.FromResult(new RetireReport(RuntimeId, previous, runtime.State, false, abandoned, PendingDrain()));
    }

    /// <summary>
    /// Abandons every non-terminal input (RESET) and returns to IDLE; refused while a run is in flight. A quarantined
    /// runtime can be reset too: its contradicting inputs are abandoned, which lifts the quarantine.
    /// </summary>
    public async Task<ResetReport> ResetAsync(Turn turn)
    {
        var details = await AdoptQuarantinedLedgerAsync(turn);
        var runtime = Existing();
        var previous = runtime.State;
        if (_runs.Count > 0)
        {
            throw Fail.Precondition("RUN_IN_FLIGHT",
                $"Runtime '{RuntimeId}' has run '{_runs[0].Record.RunId}' in flight; reset is refused until it ends.",
                ("runtime_id", RuntimeId), ("run_id", _runs[0].Record.RunId));
        }

        if (runtime.State != RuntimeState.Idle)
        {
            RuntimeStateMachine.Move(runtime.State, RuntimeState.Idle);
        }

        var abandoned = AbandonAll(turn, AbandonReason.Reset, "runtime reset" + details);
        MoveRuntime(turn, RuntimeState.Idle);
        SettleIdleOrAttached(turn);
        var noOp = abandoned == 0 && previous == runtime.State && details.Length == 0;
        return new ResetReport(RuntimeId, previous, runtime.State, noOp, abandoned);
    }

    /// <summary>
    /// Abandons everything (DESTROYED) and ends the runtime for good. Idempotent. A quarantined runtime can be destroyed:
    /// every non-terminal input its ledger holds is abandoned, whatever the contradiction.
    /// </summary>
    public async Task<DestroyReport> DestroyAsync(Turn turn)
    {
        if (_runtime is null)
        {
            throw NotFound();
        }

        if (_runtime.State == RuntimeState.Destroyed && _quarantine is null)
        {
            return new DestroyReport(RuntimeId, RuntimeState.Destroyed, true, 0);
        }

        var details = await AdoptQuarantinedLedgerAsync(turn);
        var previous = _runtime.State;
        foreach (var run in _runs)
        {
            run.Cancellation.Cancel();
            run.Record.Status = RunStatus.Interrupted;
            run.Record.EndedAt = Now;
            run.Record.Error = "runtime destroyed";
            turn.Runs.Add(run.Record);
        }

        _runs.Clear();

        var abandoned = AbandonAll(turn, AbandonReason.Destroyed, "runtime destroyed" + details);
        if (_runtime.State == RuntimeState.Destroyed)
        {
            turn.RuntimeChanged = true; // a destroyed row that still held inputs (quarantined): now consistent
        }
        else
        {
            MoveRuntime(turn, RuntimeState.Destroyed);
        }

        _retryTimer?.Dispose();
        _retryTimer = null;
        if (Observes(EventCategory.RuntimeState))
        {
            turn.Events.Add(new RuntimeEvent
            {
                Kind = RuntimeEventKind.RuntimeDestroyed,
                Time = Now,
                RuntimeId = RuntimeId,
                Attempt = abandoned,
            });
        }

        return new DestroyReport(RuntimeId, previous, false, abandoned);
    }

    /// <summary>Replays the ledger into a fresh in-memory state (new owner epoch), through RECOVERING.</summary>
    public async Task<RecoveryReport> RecoverAsync(string kind)
    {
        if (_runtime is null)
        {
            throw NotFound();
        }

        if (_quarantine is null && !RuntimeStateMachine.CanMove(_runtime.State, RuntimeState.Recovering))
        {
            RuntimeStateMachine.Move(_runtime.State, RuntimeState.Recovering);
        }

        return await ActivateAsync(forced: true, kind) ?? throw NotFound();
    }

    /// <summary>Points the runtime at another destination (empty for none).</summary>
    public Task<RuntimeInfo> BindAsync(Turn turn, string destination)
    {
        var runtime = Existing();
        if (runtime.State == RuntimeState.Destroyed)
        {
            throw Fail.Precondition("RUNTIME_DESTROYED", $"Runtime '{RuntimeId}' is destroyed.", ("runtime_id", RuntimeId));
        }

        runtime.Destination = destination;
        Destination = destination;
        turn.RuntimeChanged = true;
        SettleIdleOrAttached(turn);
        return Task.FromResult(RecordMapping.ToInfo(runtime, null));
    }

    /// <summary>The live status (for GetRuntimeState of a loaded runtime).</summary>
    public Task<RuntimeStatus> StatusAsync()
    {
        var runtime = _runtime ?? throw NotFound();
        return Task.FromResult(new RuntimeStatus(RuntimeId, runtime.State, runtime.PhaseCounts[(int)InputPhase.Queued],
            runtime.PhaseCounts[(int)InputPhase.Staged], CurrentRunId, runtime.Retiring, _quarantine));
    }

    /// <summary>
    /// Applies what an outside party reports: completion or failure of a run awaiting completion, explicit acks of
    /// inputs awaiting them, or a custom event passed on as is. Unknown run or input → NOT_FOUND; known but in the
    /// wrong state → FAILED_PRECONDITION. Acks of already consumed inputs are accepted again (acks are retried).
    /// The answer is read once the turn committed: it carries the sequence the commit gave the published event.
    /// </summary>
    public async Task<Func<PublishResult>> PublishAsync(Turn turn, ExternalEvent reported)
    {
        var runtime = Existing();
        var affected = new List<string>();
        switch (reported.Kind)
        {
            case ExternalEventKind.RunCompleted:
            case ExternalEventKind.RunFailed:
            {
                var run = await AwaitingRunAsync(runtime, reported.RunId);
                foreach (var input in run.Inputs)
                {
                    if (reported.Kind == ExternalEventKind.RunCompleted)
                    {
                        MoveInput(turn, input, InputPhase.Consumed, "run completed");
                    }
                    else
                    {
                        input.LastError = reported.Error;
                        MoveInput(turn, input, InputPhase.Abandoned, $"run failed after apply: {reported.Error}", AbandonReason.NeverExecuted);
                    }

                    affected.Add(input.InputId);
                }

                CloseRun(turn, run, reported.Kind == ExternalEventKind.RunCompleted ? RunStatus.Completed : RunStatus.Failed, reported.Error);
                EndAnsweredRuns(turn); // later runs whose answers came while this one awaited its completion
                break;
            }

            case ExternalEventKind.InputsAcked:
                affected.AddRange(await AckAsync(turn, runtime, reported.InputIds));
                break;
        }

        var index = -1;
        if (Observes(EventCategory.Published))
        {
            index = turn.Events.Count;
            turn.Events.Add(new RuntimeEvent
            {
                Kind = RuntimeEventKind.Published,
                Time = turn.Now,
                RuntimeId = RuntimeId,
                RunId = reported.RunId.Length > 0 ? reported.RunId : null,
                Reason = reported.Kind.ToString(),
                Attributes = reported.Attributes,
            });
        }

        var consumed = reported.Kind == ExternalEventKind.RunFailed ? 0 : affected.Count;
        return () => new PublishResult(index >= 0 && turn.Append is { } append ? append.FirstEventSequence + index : 0,
            consumed, affected.Count - consumed, affected);
    }

    private async Task<ActiveRun> AwaitingRunAsync(RuntimeRecord runtime, string runId)
    {
        if (_runs.Find(r => r.Record.RunId == runId) is { } run)
        {
            return run.AwaitingCompletion
                ? run
                : throw Fail.Precondition("RUN_NOT_AWAITING_COMPLETION",
                    $"Run '{runId}' is still being delivered; it can be completed only once applied.",
                    ("runtime_id", RuntimeId), ("run_id", runId), ("status", run.Record.Status.ToString()));
        }

        var stored = await _context.Store.FindRunAsync(runtime.Key, runId, CancellationToken.None)
                     ?? throw Fail.NotFound("RUN_NOT_FOUND", $"Runtime '{RuntimeId}' has no run '{runId}'.",
                         ("runtime_id", RuntimeId), ("run_id", runId));
        throw Fail.Precondition("RUN_NOT_AWAITING_COMPLETION", $"Run '{runId}' is {stored.Status}, not awaiting completion.",
            ("runtime_id", RuntimeId), ("run_id", runId), ("status", stored.Status.ToString()));
    }

    /// <summary>Consumes the acked inputs that await an ack; returns the ids it consumed (repeats of consumed ones are not).</summary>
    private async Task<IReadOnlyList<string>> AckAsync(Turn turn, RuntimeRecord runtime, IReadOnlyList<string> inputIds)
    {
        var toConsume = new List<InputRecord>();
        foreach (var inputId in inputIds.Distinct(StringComparer.Ordinal))
        {
            var input = _live.FindById(inputId) ??
                        await _context.Store.FindInputAsync(runtime.Key, inputId, CancellationToken.None)
                        ?? throw Fail.NotFound("INPUT_NOT_FOUND", $"Runtime '{RuntimeId}' has no input '{inputId}'.",
                            ("runtime_id", RuntimeId), ("input_id", inputId));
            switch (input.Phase)
            {
                case InputPhase.AppliedPendingConsumption:
                    toConsume.Add(input);
                    break;
                case InputPhase.Consumed:
                    break;
                default:
                    throw Fail.Precondition("INPUT_NOT_AWAITING_ACK",
                        $"Input '{inputId}' is {input.Phase}; only inputs awaiting an explicit ack can be acked.",
                        ("runtime_id", RuntimeId), ("input_id", inputId), ("phase", input.Phase.ToString()));
            }
        }

        foreach (var input in toConsume)
        {
            MoveInput(turn, input, InputPhase.Consumed, "acked");
        }

        return toConsume.ConvertAll(i => i.InputId);
    }

    private int AbandonAll(Turn turn, AbandonReason reason, string why)
    {
        var inputs = _live.All.ToList();
        foreach (var input in inputs)
        {
            MoveInput(turn, input, InputPhase.Abandoned, why, reason);
        }

        return inputs.Count;
    }

    private int PendingDrain() =>
        (int)(_runtime!.PhaseCounts[(int)InputPhase.Queued] + _runtime.PhaseCounts[(int)InputPhase.Staged]);

    /// <summary>What loading this instance replayed (activation runs before any message); NOT_FOUND when it does not exist.</summary>
    public Task<RecoveryReport> ActivationReportAsync()
    {
        var runtime = Existing();
        return Task.FromResult(_lastRecovery ?? new RecoveryReport(RuntimeId, runtime.State, runtime.State, _live.Count, 0, 0, 0, []));
    }

    /// <summary>The runtime's record as the facade shows it.</summary>
    public Task<RuntimeInfo> InfoAsync() => Task.FromResult(RecordMapping.ToInfo(_runtime ?? throw NotFound(), _quarantine));

    /// <summary>Unloads now if nothing is held or in flight.</summary>
    public Task<bool> UnloadIfIdleAsync()
    {
        ConsiderUnloading(fromIdleTimer: true);
        return Task.FromResult(_unloaded);
    }
}
