namespace Runtime.Core.Runtimes;

/// <summary>Where a runtime is in its life. The allowed moves between states live in one table (DESIGN.md section 2).</summary>
public enum RuntimeState
{
    /// <summary>Being created or recovered; not yet accepting input.</summary>
    Initializing,

    /// <summary>Nothing in flight and no ready destination.</summary>
    Idle,

    /// <summary>Bound to a destination that has a ready wire.</summary>
    Attached,

    /// <summary>A run is in flight.</summary>
    Running,

    /// <summary>Replaying its durable ledger.</summary>
    Recovering,

    /// <summary>Refuses new input and drains what is queued.</summary>
    Retired,

    /// <summary>Stopped; can only be recovered or destroyed.</summary>
    Stopped,

    /// <summary>Gone for good (terminal).</summary>
    Destroyed,
}
