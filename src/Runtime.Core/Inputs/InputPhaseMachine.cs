using System.Collections.Frozen;
using Runtime.Core.Errors;

namespace Runtime.Core.Inputs;

/// <summary>
/// The one place that knows which input phase may follow which (DESIGN.md section 2). A move outside the table throws
/// FAILED_PRECONDITION naming both phases; terminal phases have no way out.
/// </summary>
public static class InputPhaseMachine
{
    /// <summary>The reason carried by a refused move.</summary>
    public const string InvalidTransitionReason = "INVALID_INPUT_TRANSITION";

    private static readonly FrozenDictionary<InputPhase, FrozenSet<InputPhase>> Table =
        new Dictionary<InputPhase, FrozenSet<InputPhase>>
        {
            [InputPhase.Accepted] = Set(InputPhase.Queued, InputPhase.Consumed, InputPhase.Superseded, InputPhase.Coalesced, InputPhase.Abandoned),
            [InputPhase.Queued] = Set(InputPhase.Staged, InputPhase.Superseded, InputPhase.Coalesced, InputPhase.Abandoned),
            [InputPhase.Staged] = Set(InputPhase.Queued, InputPhase.Applied, InputPhase.Superseded, InputPhase.Abandoned),
            [InputPhase.Applied] = Set(InputPhase.AppliedPendingConsumption, InputPhase.Consumed, InputPhase.Abandoned),
            [InputPhase.AppliedPendingConsumption] = Set(InputPhase.Consumed, InputPhase.Abandoned),
            [InputPhase.Consumed] = Set(),
            [InputPhase.Superseded] = Set(),
            [InputPhase.Coalesced] = Set(),
            [InputPhase.Abandoned] = Set(),
        }.ToFrozenDictionary();

    /// <summary>The phases reachable in one move from <paramref name="from"/>.</summary>
    public static IReadOnlySet<InputPhase> AllowedTargets(InputPhase from) => Table[from];

    /// <summary>Whether the table allows moving from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanMove(InputPhase from, InputPhase to) => Table[from].Contains(to);

    /// <summary>Returns <paramref name="to"/> when the move is allowed; throws FAILED_PRECONDITION otherwise.</summary>
    public static InputPhase Move(InputPhase from, InputPhase to) =>
        CanMove(from, to)
            ? to
            : throw Fail.Precondition(InvalidTransitionReason, $"An input cannot move from {from} to {to}.",
                ("from", from.ToString()), ("to", to.ToString()));

    /// <summary>True for the phases an input never leaves.</summary>
    public static bool IsTerminal(InputPhase phase) => phase >= InputPhase.Consumed;

    /// <summary>Every phase, in declaration order (the order counts are reported in).</summary>
    public static IReadOnlyList<InputPhase> All { get; } = Enum.GetValues<InputPhase>();

    private static FrozenSet<InputPhase> Set(params InputPhase[] phases) => phases.ToFrozenSet();
}
