using Runtime.Core.Runtimes;
using Runtime.Observation.Observers;

namespace Runtime.Observation.BuiltIn.Runtimes;

/// <summary>A runtime appeared.</summary>
public sealed record RuntimeCreated(RuntimeState State, string? Destination) : ObservationEvent
{
    /// <inheritdoc />
    public override string Kind => "runtime_created";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>
    {
        ["state"] = State.ToString(),
        ["destination"] = Destination ?? "",
    };
}

/// <summary>A runtime moved between states (as seen between two cycles).</summary>
public sealed record RuntimeStateChanged(RuntimeState From, RuntimeState To) : ObservationEvent
{
    /// <inheritdoc />
    public override string Kind => "runtime_state_changed";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>
    {
        ["from_state"] = From.ToString(),
        ["to_state"] = To.ToString(),
    };
}

/// <summary>A runtime was destroyed or left the catalog.</summary>
public sealed record RuntimeDestroyed(RuntimeState LastState) : ObservationEvent
{
    /// <inheritdoc />
    public override string Kind => "runtime_destroyed";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>
    {
        ["last_state"] = LastState.ToString(),
    };
}
