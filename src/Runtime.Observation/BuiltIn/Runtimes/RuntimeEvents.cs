using Runtime.Core.Runtimes;
using Runtime.Observation.Observers;

namespace Runtime.Observation.BuiltIn.Runtimes;

/// <summary>A runtime appeared.</summary>
public sealed record RuntimeCreated(RuntimeState State, string? Destination) : ObservationEvent
{
    /// <inheritdoc />
    public override string Kind => "runtime_created";
}

/// <summary>A runtime moved between states (as seen between two cycles).</summary>
public sealed record RuntimeStateChanged(RuntimeState From, RuntimeState To) : ObservationEvent
{
    /// <inheritdoc />
    public override string Kind => "runtime_state_changed";
}

/// <summary>A runtime was destroyed or left the catalog.</summary>
public sealed record RuntimeDestroyed(RuntimeState LastState) : ObservationEvent
{
    /// <inheritdoc />
    public override string Kind => "runtime_destroyed";
}
