using Runtime.Core.Inputs;
using Runtime.Core.Runtimes;
using Runtime.Core.Storage;

namespace Runtime.Core.Driver;

/// <summary>
/// Checks a loaded ledger for contradictions before recovery trusts it. Any finding is RECOVERY_CORRUPTION: the
/// runtime is quarantined and left untouched, the others keep working.
/// </summary>
internal static class LedgerAudit
{
    public static IReadOnlyList<string> Check(LedgerSnapshot snapshot)
    {
        var problems = new List<string>(snapshot.Problems);
        var runtime = snapshot.Runtime;
        if (!Enum.IsDefined(runtime.State))
        {
            problems.Add($"runtime state {(int)runtime.State} is unknown");
        }

        if (snapshot.HighestLedgerSequence != runtime.LedgerSequence)
        {
            problems.Add($"runtime row says ledger sequence {runtime.LedgerSequence} but the ledger ends at {snapshot.HighestLedgerSequence}");
        }

        if (runtime.State == RuntimeState.Destroyed && snapshot.LiveInputs.Count > 0)
        {
            problems.Add($"destroyed runtime still holds {snapshot.LiveInputs.Count} non-terminal inputs");
        }

        var live = new long[InputPhaseMachine.All.Count];
        foreach (var input in snapshot.LiveInputs)
        {
            if (!Enum.IsDefined(input.Phase) || InputPhaseMachine.IsTerminal(input.Phase))
            {
                problems.Add($"input {input.InputId} has phase {(int)input.Phase}");
                continue;
            }

            live[(int)input.Phase]++;
            if (!Enum.IsDefined(input.PayloadType))
            {
                problems.Add($"input {input.InputId} has payload type {(int)input.PayloadType}");
            }

            if (input.Phase == InputPhase.Staged && input.LastRunId.Length == 0)
            {
                problems.Add($"input {input.InputId} is STAGED without a run");
            }

            if (input.Phase is InputPhase.Applied or InputPhase.AppliedPendingConsumption)
            {
                // Receipts are written in the same commit as APPLIED, so an applied input without its receipt means
                // the ledger contradicts itself (and the phase table forbids sending it back to QUEUED).
                if (!snapshot.ReferencedReceipts.TryGetValue(input.LastBoundarySequence, out var receipt) ||
                    receipt.RunId != input.LastRunId || !receipt.InputIds.Contains(input.InputId))
                {
                    problems.Add($"input {input.InputId} is {input.Phase} but boundary receipt {input.LastBoundarySequence} of run '{input.LastRunId}' does not list it");
                }
            }
        }

        for (var phase = 0; phase < (int)InputPhase.Consumed; phase++)
        {
            if (live[phase] != runtime.PhaseCounts[phase])
            {
                problems.Add($"runtime row counts {runtime.PhaseCounts[phase]} inputs {(InputPhase)phase} but the ledger holds {live[phase]}");
            }
        }

        return problems;
    }
}
