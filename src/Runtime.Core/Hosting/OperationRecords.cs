using Runtime.Core.Runtimes;

namespace Runtime.Core.Hosting;

// Every report names the state before the operation and whether the runtime was already where the operation leads
// (NoOp: an idempotent repeat that changed nothing).

/// <summary>What RetireRuntime did.</summary>
public sealed record RetireReport(
    string RuntimeId, RuntimeState PreviousState, RuntimeState State, bool NoOp, int InputsAbandoned, int InputsPendingDrain);

/// <summary>What RecycleRuntime did: a new driver instance took over the ledger (never a no-op).</summary>
public sealed record RecycleReport(
    string RuntimeId, RuntimeState PreviousState, RuntimeState State, int InputsTransferred, int InputsRequeued, long OwnerEpoch);

/// <summary>What ResetRuntime did; a no-op when it was settled with nothing to abandon.</summary>
public sealed record ResetReport(string RuntimeId, RuntimeState PreviousState, RuntimeState State, bool NoOp, int InputsAbandoned);

/// <summary>
/// What RecoverRuntime (or recovery at start) did when it replayed the ledger (never a no-op: it always claims a new
/// owner epoch).
/// </summary>
public sealed record RecoveryReport(
    string RuntimeId,
    RuntimeState PreviousState,
    RuntimeState State,
    int InputsRecovered,
    int InputsRequeued,
    int InputsConsumed,
    int InputsAbandoned,
    IReadOnlyList<string> Details);

/// <summary>What DestroyRuntime did; a no-op when it was already destroyed.</summary>
public sealed record DestroyReport(string RuntimeId, RuntimeState PreviousState, bool NoOp, int InputsAbandoned);

/// <summary>
/// Proof that a run's boundary was applied: written in the same commit as the inputs' transitions.
/// </summary>
public sealed record BoundaryReceipt(
    string RuntimeId,
    string RunId,
    long Sequence,
    IReadOnlyList<string> InputIds,
    string Digest,
    DateTimeOffset Time);

/// <summary>What an outside party reports about a runtime (PublishEvent).</summary>
public enum ExternalEventKind
{
    /// <summary>A run awaiting completion (ON_RUN_COMPLETE) completed: its inputs are consumed.</summary>
    RunCompleted,

    /// <summary>A run awaiting completion failed: its applied inputs are abandoned.</summary>
    RunFailed,

    /// <summary>Inputs awaiting an explicit ack are consumed.</summary>
    InputsAcked,

    /// <summary>Anything else: passed on to event subscribers as is.</summary>
    Custom,
}

/// <summary>An event reported from outside (PublishEvent).</summary>
public sealed record ExternalEvent
{
    /// <summary>What is reported.</summary>
    public required ExternalEventKind Kind { get; init; }

    /// <summary>The run concerned (run events).</summary>
    public string RunId { get; init; } = "";

    /// <summary>The inputs concerned (acks).</summary>
    public IReadOnlyList<string> InputIds { get; init; } = [];

    /// <summary>The error of a failed run.</summary>
    public string Error { get; init; } = "";

    /// <summary>Free-form attributes passed on to subscribers.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}

/// <summary>What a published event changed: the inputs it moved (consumed or abandoned), in the order it moved them.</summary>
public sealed record PublishResult(long EventSequence, int InputsConsumed, int InputsAbandoned, IReadOnlyList<string> AffectedInputIds);
