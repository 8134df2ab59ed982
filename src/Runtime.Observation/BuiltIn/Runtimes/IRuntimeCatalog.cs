using Runtime.Core.Inputs;
using Runtime.Core.Runtimes;
using Runtime.Observation.Filtering;

namespace Runtime.Observation.BuiltIn.Runtimes;

/// <summary>What the <c>runtimes</c> observer reads each cycle; the host adapts its runtime registry to it.</summary>
public interface IRuntimeCatalog
{
    /// <summary>Every runtime the host knows now, with its state and queue.</summary>
    ValueTask<IReadOnlyList<RuntimeInfo>> ListRuntimesAsync(CancellationToken cancellationToken);
}

/// <summary>One runtime as the catalog sees it; also a row of the <c>runtimes</c> snapshot.</summary>
public sealed record RuntimeInfo : IFilterable
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<InputPhase, long> NoPhases = new Dictionary<InputPhase, long>();

    /// <summary>The runtime's id.</summary>
    public required string RuntimeId { get; init; }

    /// <summary>Its state.</summary>
    public required RuntimeState State { get; init; }

    /// <summary>Inputs waiting to run (accepted or queued).</summary>
    public long QueueDepth { get; init; }

    /// <summary>How many of its inputs are in each non-empty phase.</summary>
    public IReadOnlyDictionary<InputPhase, long> PhaseCounts { get; init; } = NoPhases;

    /// <summary>Its labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = NoLabels;

    /// <summary>The destination it is bound to, if any.</summary>
    public string? Destination { get; init; }

    /// <inheritdoc />
    string? IFilterable.RuntimeId => RuntimeId;

    /// <inheritdoc />
    public string? GetLabel(string key) => Labels.TryGetValue(key, out var value) ? value : null;

    /// <inheritdoc />
    public string? GetField(string name) => name switch
    {
        "runtime_id" => RuntimeId,
        "state" => State.ToString(),
        "destination" => Destination,
        _ => null,
    };
}
