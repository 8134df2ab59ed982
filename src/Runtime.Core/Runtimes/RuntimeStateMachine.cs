using System.Collections.Frozen;
using Runtime.Core.Errors;

namespace Runtime.Core.Runtimes;

/// <summary>
/// The one place that knows which runtime state may follow which (DESIGN.md section 2). Staying in the same state is
/// not a transition; any other move outside the table throws FAILED_PRECONDITION naming both states.
/// </summary>
public static class RuntimeStateMachine
{
    /// <summary>The reason carried by a refused move.</summary>
    public const string InvalidTransitionReason = "INVALID_RUNTIME_TRANSITION";

    private static readonly FrozenDictionary<RuntimeState, FrozenSet<RuntimeState>> Table =
        new Dictionary<RuntimeState, FrozenSet<RuntimeState>>
        {
            [RuntimeState.Initializing] = Set(RuntimeState.Idle, RuntimeState.Stopped, RuntimeState.Destroyed),
            [RuntimeState.Idle] = Set(RuntimeState.Attached, RuntimeState.Running, RuntimeState.Retired, RuntimeState.Recovering, RuntimeState.Stopped, RuntimeState.Destroyed),
            [RuntimeState.Attached] = Set(RuntimeState.Running, RuntimeState.Idle, RuntimeState.Retired, RuntimeState.Recovering, RuntimeState.Stopped, RuntimeState.Destroyed),
            [RuntimeState.Running] = Set(RuntimeState.Idle, RuntimeState.Attached, RuntimeState.Recovering, RuntimeState.Retired, RuntimeState.Stopped, RuntimeState.Destroyed),
            [RuntimeState.Recovering] = Set(RuntimeState.Idle, RuntimeState.Attached, RuntimeState.Running, RuntimeState.Stopped, RuntimeState.Destroyed),
            [RuntimeState.Retired] = Set(RuntimeState.Running, RuntimeState.Stopped, RuntimeState.Destroyed),
            [RuntimeState.Stopped] = Set(RuntimeState.Recovering, RuntimeState.Destroyed),
            [RuntimeState.Destroyed] = Set(),
        }.ToFrozenDictionary();

    /// <summary>The states reachable in one move from <paramref name="from"/>.</summary>
    public static IReadOnlySet<RuntimeState> AllowedTargets(RuntimeState from) => Table[from];

    /// <summary>Whether the table allows moving from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanMove(RuntimeState from, RuntimeState to) => Table[from].Contains(to);

    /// <summary>Returns <paramref name="to"/> when the move is allowed; throws FAILED_PRECONDITION otherwise.</summary>
    public static RuntimeState Move(RuntimeState from, RuntimeState to) =>
        CanMove(from, to)
            ? to
            : throw Fail.Precondition(InvalidTransitionReason, $"A runtime cannot move from {from} to {to}.",
                ("from", from.ToString()), ("to", to.ToString()));

    /// <summary>True for states in which new input is accepted.</summary>
    public static bool AcceptsInput(RuntimeState state) =>
        state is RuntimeState.Idle or RuntimeState.Attached or RuntimeState.Running;

    /// <summary>True once nothing can happen any more.</summary>
    public static bool IsTerminal(RuntimeState state) => Table[state].Count == 0;

    private static FrozenSet<RuntimeState> Set(params RuntimeState[] states) => states.ToFrozenSet();
}
