using Runtime.Core.Inputs;
using Runtime.Core.Runtimes;
using Runtime.Core.Storage;

namespace Runtime.Core.Driver;

internal sealed partial class RuntimeActor
{
    /// <summary>
    /// Lets an operator reset or destroy a quarantined runtime (DESIGN.md section 2: both abandon every non-terminal
    /// input, so the contradiction need not be resolved first). Loads the ledger as it is, without trusting it: the
    /// row's phase counts are recounted from the inputs themselves (they may be what contradicts), open runs are closed
    /// and a new owner epoch is claimed. The quarantine is lifted in memory now and in the host once the operation's
    /// append commits; if anything fails, the next message reloads and audits again. Returns a note for the inputs'
    /// transition reasons ("" when the runtime is not quarantined).
    /// </summary>
    private async Task<string> AdoptQuarantinedLedgerAsync(Turn turn)
    {
        if (_quarantine is null)
        {
            return "";
        }

        var snapshot = await _context.Store.LoadAsync(RuntimeId, CancellationToken.None) ?? throw NotFound();
        var runtime = snapshot.Runtime;
        turn.RuntimeChanged = true; // from here on a failure must reload from the ledger
        if (!Enum.IsDefined(runtime.State))
        {
            runtime.State = RuntimeState.Stopped; // unreadable: the state every operator action can leave (destroy, recover)
        }

        var counts = runtime.PhaseCounts;
        Array.Clear(counts, 0, (int)InputPhase.Consumed);
        _live = new LiveInputs(runtime.Policy.QueueMode);
        foreach (var input in snapshot.LiveInputs)
        {
            if (!Enum.IsDefined(input.Phase) || InputPhaseMachine.IsTerminal(input.Phase))
            {
                input.Phase = InputPhase.Accepted; // unreadable phase: abandoned from the first one so it ends terminal
            }

            counts[(int)input.Phase]++;
            _live.Add(input);
        }

        var now = Now;
        foreach (var run in snapshot.OpenRuns)
        {
            run.Status = RunStatus.Interrupted;
            run.EndedAt = now;
            run.Error = "closed while quarantined";
            turn.Runs.Add(run);
        }

        runtime.OwnerEpoch++;
        _runtime = runtime;
        Destination = runtime.Destination;
        _quarantine = null;
        turn.AfterCommit.Add(() => _directory.SetQuarantine(RuntimeId, null));
        return " (was quarantined)";
    }
}
