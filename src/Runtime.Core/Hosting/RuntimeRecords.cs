using Runtime.Core.Inputs;
using Runtime.Core.Policies;
using Runtime.Core.Runtimes;

namespace Runtime.Core.Hosting;

/// <summary>What a caller asks for when creating a runtime. Creating it again with an equal spec is a no-op.</summary>
public sealed record RuntimeSpec
{
    /// <summary>1–128 characters of <c>[A-Za-z0-9._:-]</c>.</summary>
    public required string RuntimeId { get; init; }

    /// <summary>The destination its runs are delivered to; empty for none (inputs then wait in the queue).</summary>
    public string Destination { get; init; } = "";

    /// <summary>Queueing, batching, retry and consumption rules.</summary>
    public RuntimePolicy Policy { get; init; } = RuntimePolicy.Default;

    /// <summary>Free-form labels to find runtimes by.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether <paramref name="other"/> asks for exactly the same runtime.</summary>
    public bool SameAs(RuntimeSpec other) =>
        RuntimeId == other.RuntimeId && Destination == other.Destination && Policy == other.Policy &&
        Labels.Count == other.Labels.Count &&
        Labels.All(pair => other.Labels.TryGetValue(pair.Key, out var value) && value == pair.Value);
}

/// <summary>Everything known about one runtime (GetRuntime).</summary>
public sealed record RuntimeInfo
{
    /// <summary>Its id.</summary>
    public required string RuntimeId { get; init; }

    /// <summary>Its state now.</summary>
    public required RuntimeState State { get; init; }

    /// <summary>The destination its runs go to (empty for none).</summary>
    public required string Destination { get; init; }

    /// <summary>Its policy.</summary>
    public required RuntimePolicy Policy { get; init; }

    /// <summary>Its labels.</summary>
    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>How many of its inputs are in each phase (every phase present, zeros included).</summary>
    public required IReadOnlyDictionary<InputPhase, long> PhaseCounts { get; init; }

    /// <summary>Inputs waiting for a run (QUEUED).</summary>
    public long QueueDepth => PhaseCounts[InputPhase.Queued];

    /// <summary>Retire was asked: no new input, draining towards STOPPED.</summary>
    public bool Retiring { get; init; }

    /// <summary>Set when its ledger contradicted itself at recovery; the runtime is then left untouched.</summary>
    public string? QuarantineReason { get; init; }

    /// <summary>True when recovery quarantined it.</summary>
    public bool Quarantined => QuarantineReason is not null;

    /// <summary>The last boundary receipt sequence written (0 before the first).</summary>
    public long LastBoundarySequence { get; init; }

    /// <summary>The owner epoch (fencing token) of its current driver instance.</summary>
    public long OwnerEpoch { get; init; }

    /// <summary>The sequence of its last ledger append.</summary>
    public long LedgerSequence { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>True only in the answer to the CreateRuntime call that created it (false for an idempotent repeat).</summary>
    public bool Created { get; init; }

    /// <summary>When its ledger last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>The short answer of GetRuntimeState: the state and what is moving.</summary>
public sealed record RuntimeStatus(
    string RuntimeId,
    RuntimeState State,
    long QueueDepth,
    long InFlight,
    string? CurrentRunId,
    bool Retiring,
    string? QuarantineReason);

/// <summary>Which runtimes ListRuntimes returns.</summary>
public sealed record RuntimeQuery
{
    /// <summary>Only runtimes in one of these states; empty for any state.</summary>
    public IReadOnlyList<RuntimeState> States { get; init; } = [];

    /// <summary>Only runtimes carrying every one of these labels with these values.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Only ids starting with this.</summary>
    public string IdPrefix { get; init; } = "";

    /// <summary>At most this many per page (0 for the default).</summary>
    public int PageSize { get; init; }

    /// <summary>The token of the previous page, empty for the first.</summary>
    public string PageToken { get; init; } = "";
}

/// <summary>One page of runtimes, ordered by id.</summary>
public sealed record RuntimePage(IReadOnlyList<RuntimeInfo> Runtimes, string NextPageToken);

/// <summary>Which inputs ListInputs returns.</summary>
public sealed record InputQuery
{
    /// <summary>The runtime whose inputs to list.</summary>
    public required string RuntimeId { get; init; }

    /// <summary>Only inputs in one of these phases; empty for every phase.</summary>
    public IReadOnlyList<InputPhase> Phases { get; init; } = [];

    /// <summary>At most this many per page (0 for the default).</summary>
    public int PageSize { get; init; }

    /// <summary>The token of the previous page, empty for the first.</summary>
    public string PageToken { get; init; } = "";
}

/// <summary>One page of inputs, in accept order.</summary>
public sealed record InputPage(IReadOnlyList<InputState> Inputs, string NextPageToken);
