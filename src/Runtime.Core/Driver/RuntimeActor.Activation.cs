using Microsoft.Extensions.Logging;
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
    /// Loads the runtime from the ledger and replays it (DESIGN.md section 2, recover): ACCEPTED and STAGED go back to
    /// QUEUED (STAGED with no attempts left is ABANDONED), APPLIED and APPLIED_PENDING_CONSUMPTION, whose receipts the
    /// audit has checked, become CONSUMED. Every load claims a new owner epoch, so a previous instance can no longer
    /// write. <paramref name="forced"/> is an explicit recover or recycle, which must pass through RECOVERING.
    /// </summary>
    private async Task<RecoveryReport?> ActivateAsync(bool forced, string? report)
    {
        await FlushQuietlyAsync(); // the ledger must hold every earlier append before it is read back
        _activated = true;
        _reloadNeeded = false;
        _lastRecovery = null;
        DropInMemoryState();
        try
        {
            var snapshot = await _context.Store.LoadAsync(RuntimeId, CancellationToken.None);
            if (snapshot is null)
            {
                _runtime = null;
                return null;
            }

            var problems = LedgerAudit.Check(snapshot);
            if (problems.Count > 0)
            {
                _runtime = snapshot.Runtime;
                Destination = _runtime.Destination;
                _quarantine = string.Join("; ", problems);
                _directory.SetQuarantine(RuntimeId, _quarantine);
                _context.Logger.LogError("Runtime {RuntimeId} quarantined: {Problems}", RuntimeId, _quarantine);
                throw Quarantined();
            }

            if (_quarantine is not null)
            {
                _quarantine = null;
                _directory.SetQuarantine(RuntimeId, null);
            }

            return await ReplayAsync(snapshot, forced, report);
        }
        catch (Exception e) when (e is not RuntimeException { Reason: QuarantineReason })
        {
            _reloadNeeded = true; // the store failed or memory is half-replayed: start again from the ledger next time
            throw;
        }
    }

    private async Task<RecoveryReport?> ReplayAsync(LedgerSnapshot snapshot, bool forced, string? report)
    {
        var runtime = snapshot.Runtime;
        var previous = runtime.State;
        _runtime = runtime;
        Destination = runtime.Destination;
        _live = new LiveInputs(runtime.Policy.QueueMode);
        foreach (var input in snapshot.LiveInputs)
        {
            _live.Add(input);
        }

        if (runtime.State == RuntimeState.Destroyed)
        {
            return null;
        }

        var turn = new Turn(forced ? report ?? "recover" : "activate", Now);
        runtime.OwnerEpoch++;
        turn.RuntimeChanged = true;

        var stale = snapshot.LiveInputs.Any(i => i.Phase is not InputPhase.Queued);
        var wasRunning = runtime.State is RuntimeState.Running or RuntimeState.Recovering or RuntimeState.Initializing;
        if (forced)
        {
            runtime.Retiring = false;
        }

        var viaRecovering = forced || ((stale || wasRunning) && runtime.State is not (RuntimeState.Retired or RuntimeState.Stopped));
        if (viaRecovering)
        {
            if (runtime.State is RuntimeState.Initializing)
            {
                runtime.State = RuntimeState.Idle;
            }

            MoveRuntime(turn, RuntimeState.Recovering);
        }

        int requeued = 0, consumed = 0, abandoned = 0;
        foreach (var input in snapshot.LiveInputs)
        {
            switch (input.Phase)
            {
                case InputPhase.Accepted:
                    input.RecoveryCount++;
                    MoveInput(turn, input, InputPhase.Queued, "recovered: queued");
                    requeued++;
                    break;
                case InputPhase.Staged when input.AttemptCount >= MaxAttempts(input):
                    input.RecoveryCount++;
                    input.LastError = "interrupted by recovery with no attempts left";
                    MoveInput(turn, input, InputPhase.Abandoned, "recovered: no attempts left", AbandonReason.MaxAttemptsExhausted);
                    abandoned++;
                    break;
                case InputPhase.Staged:
                    input.RecoveryCount++;
                    input.NextAttemptAt = null;
                    MoveInput(turn, input, InputPhase.Queued, $"recovered: run {input.LastRunId} interrupted");
                    requeued++;
                    break;
                case InputPhase.Applied:
                case InputPhase.AppliedPendingConsumption:
                    input.RecoveryCount++;
                    MoveInput(turn, input, InputPhase.Consumed, $"recovered: boundary receipt {input.LastBoundarySequence} proves it applied");
                    consumed++;
                    break;
            }
        }

        var now = Now;
        foreach (var run in snapshot.OpenRuns)
        {
            run.Status = run.Status == RunStatus.AwaitingCompletion ? RunStatus.Completed : RunStatus.Interrupted;
            run.EndedAt = now;
            run.Error = run.Status == RunStatus.Interrupted ? "interrupted by recovery" : "";
            turn.Runs.Add(run);
        }

        if (viaRecovering)
        {
            MoveRuntime(turn, DestinationReady ? RuntimeState.Attached : RuntimeState.Idle);
        }

        FinishRetirementIfDrained(turn);
        Pump(turn);
        await CommitAsync(turn);
        var details = new List<string>();
        if (snapshot.OpenRuns.Count > 0)
        {
            details.Add($"closed {snapshot.OpenRuns.Count} open run(s)");
        }

        _lastRecovery = new RecoveryReport(RuntimeId, previous, runtime.State, snapshot.LiveInputs.Count, requeued, consumed, abandoned, details);
        return _lastRecovery;
    }

    private void DropInMemoryState()
    {
        foreach (var run in _runs)
        {
            run.Cancellation.Cancel();
        }

        _runs.Clear();

        _retryTimer?.Dispose();
        _retryTimer = null;
        _live = new LiveInputs(_runtime?.Policy.QueueMode ?? Policies.QueueMode.Fifo);
    }

    private int MaxAttempts(InputRecord input) => input.MaxAttempts ?? Policy.MaxAttempts;

    /// <summary>Creates the runtime (first append) or checks that an existing one matches.</summary>
    public Task<RuntimeInfo> CreateAsync(Turn turn, RuntimeSpec spec, string? quarantine)
    {
        if (_runtime is { } existing)
        {
            var current = new RuntimeSpec
            {
                RuntimeId = existing.RuntimeId,
                Destination = existing.Destination,
                Policy = existing.Policy,
                Labels = existing.Labels,
            };
            if (existing.State == RuntimeState.Destroyed)
            {
                throw Fail.AlreadyExists("RUNTIME_DESTROYED",
                    $"Runtime '{RuntimeId}' was destroyed; its id cannot be reused.", ("runtime_id", RuntimeId));
            }

            return current.SameAs(spec)
                ? Task.FromResult(RecordMapping.ToInfo(existing, quarantine ?? _quarantine))
                : throw Fail.AlreadyExists("RUNTIME_ALREADY_EXISTS",
                    $"Runtime '{RuntimeId}' exists with a different destination, policy or labels.", ("runtime_id", RuntimeId));
        }

        var now = Now;
        var runtime = new RuntimeRecord
        {
            RuntimeId = RuntimeId,
            State = RuntimeState.Initializing,
            Destination = spec.Destination,
            Policy = spec.Policy,
            Labels = new Dictionary<string, string>(spec.Labels),
            OwnerEpoch = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        _runtime = runtime;
        Destination = spec.Destination;
        _live = new LiveInputs(spec.Policy.QueueMode);
        turn.CreatesRuntime = true;
        turn.RuntimeChanged = true;
        if (Observes(EventCategory.RuntimeState))
        {
            turn.Events.Add(new RuntimeEvent
            {
                Kind = RuntimeEventKind.RuntimeCreated,
                Time = now,
                RuntimeId = RuntimeId,
                Destination = spec.Destination.Length > 0 ? spec.Destination : null,
                Attributes = spec.Labels,
            });
        }

        MoveRuntime(turn, RuntimeState.Idle);
        SettleIdleOrAttached(turn);
        return Task.FromResult(RecordMapping.ToInfo(runtime, null) with { Created = true });
    }
}
