namespace Runtime.Core.Inputs;

/// <summary>Where an input is in its lifecycle (DESIGN.md section 2). The last four are terminal.</summary>
public enum InputPhase
{
    /// <summary>Durably recorded, not yet queued.</summary>
    Accepted,

    /// <summary>Waiting for a run.</summary>
    Queued,

    /// <summary>Part of a run that is being delivered.</summary>
    Staged,

    /// <summary>Delivered and acknowledged by the destination.</summary>
    Applied,

    /// <summary>Applied; waits for an explicit acknowledgement before it counts as consumed.</summary>
    AppliedPendingConsumption,

    /// <summary>Done (terminal).</summary>
    Consumed,

    /// <summary>Replaced by a newer input with the same supersession key (terminal).</summary>
    Superseded,

    /// <summary>Merged into another queued input with the same coalesce key (terminal).</summary>
    Coalesced,

    /// <summary>Given up, with an <see cref="AbandonReason"/> (terminal).</summary>
    Abandoned,
}

/// <summary>Why an input was abandoned.</summary>
public enum AbandonReason
{
    /// <summary>Not abandoned.</summary>
    None,

    /// <summary>The runtime was retired before the input could run.</summary>
    Retired,

    /// <summary>The runtime was reset.</summary>
    Reset,

    /// <summary>The runtime was stopped.</summary>
    Stopped,

    /// <summary>The runtime was destroyed.</summary>
    Destroyed,

    /// <summary>Cancelled by a caller.</summary>
    Cancelled,

    /// <summary>Every allowed attempt failed.</summary>
    MaxAttemptsExhausted,

    /// <summary>The input could never run (for example a permanent delivery failure).</summary>
    NeverExecuted,
}
