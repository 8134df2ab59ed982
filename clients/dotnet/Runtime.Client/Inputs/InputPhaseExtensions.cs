using Runtime.Contracts.V1;

namespace Runtime.Client.Inputs;

/// <summary>Facts about input phases that callers branch on.</summary>
public static class InputPhaseExtensions
{
    /// <summary>True for the phases an input never leaves: CONSUMED, SUPERSEDED, COALESCED, ABANDONED.</summary>
    /// <param name="phase">The phase.</param>
    public static bool IsTerminal(this InputPhase phase) =>
        phase is InputPhase.Consumed or InputPhase.Superseded or InputPhase.Coalesced or InputPhase.Abandoned;
}
