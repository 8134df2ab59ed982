using System.Globalization;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;

namespace Runtime.Core.Storage;

/// <summary>
/// The path almost every input takes: accepted and queued in one turn, staged once into a run, applied and consumed
/// by that run's boundary receipt (or consumed at accept, for record-only runtimes). An input on this path needs no
/// write of its own after its accept turn: its state is <see cref="Derive"/>d from its Accepted record and the run
/// that carried it. The driver marks any other move (<see cref="Allows"/>), and from then on the store keeps the
/// input's whole state. The reasons below are the only ones the driver uses for these moves, so a derived history
/// reads exactly as the one the driver built in memory.
/// </summary>
public static class CommonPath
{
    /// <summary>Accepted → QUEUED at accept.</summary>
    public const string QueuedReason = "queued";

    /// <summary>Accepted → CONSUMED at accept under ON_ACCEPT.</summary>
    public const string ConsumedOnAcceptReason = "consumed on accept (record only)";

    /// <summary>APPLIED → CONSUMED in the receipt's turn under ON_APPLY.</summary>
    public const string ConsumedOnApplyReason = "consumed on apply";

    /// <summary>QUEUED → STAGED into a run.</summary>
    public static string StagedReason(string runId, int attempt) =>
        string.Create(CultureInfo.InvariantCulture, $"staged in run {runId} (attempt {attempt})");

    /// <summary>STAGED → APPLIED by a boundary receipt.</summary>
    public static string AppliedReason(long boundary) =>
        string.Create(CultureInfo.InvariantCulture, $"applied at boundary {boundary}");

    /// <summary>Whether this move keeps an input (still on the path) on the common path.</summary>
    public static bool Allows(InputRecord input, InputPhase from, InputPhase to, string reason, ConsumePoint consumePoint) =>
        (from, to) switch
        {
            (InputPhase.Accepted, InputPhase.Queued) => reason == QueuedReason && consumePoint != ConsumePoint.OnAccept,
            (InputPhase.Accepted, InputPhase.Consumed) => reason == ConsumedOnAcceptReason,
            (InputPhase.Queued, InputPhase.Staged) => input is { AttemptCount: 1, RecoveryCount: 0 },
            (InputPhase.Staged, InputPhase.Applied) => consumePoint == ConsumePoint.OnApply,
            (InputPhase.Applied, InputPhase.Consumed) => reason == ConsumedOnApplyReason,
            _ => false,
        };

    /// <summary>
    /// Fills in the state of an input on the common path: <paramref name="input"/> as its Accepted record holds it,
    /// <paramref name="run"/> the run that carried it (null before its first run) and <paramref name="receipt"/> that
    /// run's receipt (null before it applied).
    /// </summary>
    public static InputRecord Derive(InputRecord input, RunRecord? run, ReceiptRecord? receipt, ConsumePoint consumePoint)
    {
        var accepted = input.CreatedAt;
        var history = TransitionLog.Accepted(accepted);
        if (consumePoint == ConsumePoint.OnAccept)
        {
            input.Phase = InputPhase.Consumed;
            input.History = TransitionLog.Append(history, accepted, InputPhase.Accepted, InputPhase.Consumed, ConsumedOnAcceptReason);
            input.UpdatedAt = accepted;
            return input;
        }

        history = TransitionLog.Append(history, accepted, InputPhase.Accepted, InputPhase.Queued, QueuedReason);
        input.Phase = InputPhase.Queued;
        input.UpdatedAt = accepted;
        if (run is not null)
        {
            input.AttemptCount = 1;
            input.LastRunId = run.RunId;
            input.Phase = InputPhase.Staged;
            input.UpdatedAt = run.StartedAt;
            history = TransitionLog.Append(history, run.StartedAt, InputPhase.Queued, InputPhase.Staged, StagedReason(run.RunId, 1));
            if (receipt is not null)
            {
                input.LastBoundarySequence = receipt.Sequence;
                input.Phase = InputPhase.Consumed;
                input.UpdatedAt = receipt.Time;
                history = TransitionLog.Append(history, receipt.Time, InputPhase.Staged, InputPhase.Applied, AppliedReason(receipt.Sequence));
                history = TransitionLog.Append(history, receipt.Time, InputPhase.Applied, InputPhase.Consumed, ConsumedOnApplyReason);
            }
        }

        input.History = history;
        return input;
    }
}
