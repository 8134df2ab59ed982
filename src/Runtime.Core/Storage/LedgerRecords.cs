using Runtime.Core.Delivery;
using Runtime.Core.Events;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;
using Runtime.Core.Runtimes;

namespace Runtime.Core.Storage;

/// <summary>
/// A runtime's row in the ledger. Mutable: it is owned by the runtime's single writer, which changes it in memory and
/// hands it to <see cref="IRuntimeStore.AppendAsync"/> (the store reads it while the writer awaits the commit).
/// </summary>
public sealed class RuntimeRecord
{
    /// <summary>The store's compact key for the runtime (assigned when the runtime is first written).</summary>
    public long Key { get; set; }

    /// <summary>The runtime's id.</summary>
    public required string RuntimeId { get; init; }

    /// <summary>Its state.</summary>
    public RuntimeState State { get; set; }

    /// <summary>The destination its runs go to.</summary>
    public string Destination { get; set; } = "";

    /// <summary>Its policy.</summary>
    public RuntimePolicy Policy { get; set; } = RuntimePolicy.Default;

    /// <summary>Its labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();

    /// <summary>Retire was asked (survives restarts so the drain goes on).</summary>
    public bool Retiring { get; set; }

    /// <summary>Inputs per phase, indexed by <see cref="InputPhase"/>.</summary>
    public long[] PhaseCounts { get; set; } = new long[InputPhaseMachine.All.Count];

    /// <summary>The sequence of the last ledger append (the next append expects this value).</summary>
    public long LedgerSequence { get; set; }

    /// <summary>The owner epoch (fencing token) of the driver instance that last wrote.</summary>
    public long OwnerEpoch { get; set; }

    /// <summary>The last boundary receipt sequence (monotonic over the runtime's life, so also within each run).</summary>
    public long BoundarySequence { get; set; }

    /// <summary>The position the next accepted input gets (accept order).</summary>
    public long NextPosition { get; set; } = 1;

    /// <summary>
    /// The lowest position of a non-terminal input (<see cref="NextPosition"/> when there is none): every input below it
    /// is terminal, so loading reads the journal from here on.
    /// </summary>
    public long LiveFloor { get; set; } = 1;

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>A copy the store can read while the writer goes on changing this one.</summary>
    public RuntimeRecord Snapshot()
    {
        var copy = (RuntimeRecord)MemberwiseClone();
        copy.PhaseCounts = (long[])PhaseCounts.Clone();
        return copy;
    }
}

/// <summary>
/// One input's ledger row. Mutable for the same reason as <see cref="RuntimeRecord"/>: only its runtime's single writer
/// changes it, and only non-terminal ones stay in memory.
/// </summary>
public sealed class InputRecord
{
    /// <summary>Its id.</summary>
    public required string InputId { get; init; }

    /// <summary>Its position in the runtime's accept order.</summary>
    public long Position { get; set; }

    /// <summary>Application-defined kind.</summary>
    public string Kind { get; init; } = "";

    /// <summary>The payload.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>The payload's media type.</summary>
    public string ContentType { get; init; } = "";

    /// <summary>Delivered with the payload.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = Empty;

    /// <summary>Idempotency key, empty for none.</summary>
    public string IdempotencyKey { get; init; } = "";

    /// <summary>SHA-256 of kind and payload, compared on a repeated idempotency key.</summary>
    public byte[]? IdempotencyHash { get; init; }

    /// <summary>Supersession key, empty for none.</summary>
    public string SupersessionKey { get; init; } = "";

    /// <summary>Coalesce key, empty for none.</summary>
    public string CoalesceKey { get; init; } = "";

    /// <summary>Priority (PRIORITY mode).</summary>
    public int Priority { get; init; }

    /// <summary>The lane.</summary>
    public PayloadType PayloadType { get; init; }

    /// <summary>Per-input override of the consume point.</summary>
    public ConsumePoint? ConsumePoint { get; init; }

    /// <summary>Per-input override of max attempts.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Its phase.</summary>
    public InputPhase Phase { get; set; }

    /// <summary>Why it was abandoned.</summary>
    public AbandonReason AbandonReason { get; set; }

    /// <summary>Delivery attempts started.</summary>
    public int AttemptCount { get; set; }

    /// <summary>Recoveries that moved it.</summary>
    public int RecoveryCount { get; set; }

    /// <summary>The last run it was part of (empty before its first).</summary>
    public string LastRunId { get; set; } = "";

    /// <summary>The boundary receipt that applied it (0 before).</summary>
    public long LastBoundarySequence { get; set; }

    /// <summary>The last delivery error.</summary>
    public string LastError { get; set; } = "";

    /// <summary>The stored retry timer: when the next attempt is due.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>When it was accepted.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Every transition so far, encoded (see <see cref="TransitionLog"/>).</summary>
    public string History { get; set; } = "";

    /// <summary>True until the input's first append is built (it is inserted whole, not updated).</summary>
    public bool IsNew { get; set; }

    /// <summary>
    /// True once the input left the common path (see <see cref="CommonPath"/>). An input on it is stored once, in its
    /// accept turn, and its state is derived from the run that carried it; one off it has its whole state stored at
    /// each change (the journal's sparse exceptions).
    /// </summary>
    public bool OffCommonPath { get; set; }

    /// <summary>
    /// A copy the store can read while the writer goes on changing this one (every field is a value or immutable,
    /// so a shallow copy is a true snapshot).
    /// </summary>
    public InputRecord Snapshot() => (InputRecord)MemberwiseClone();

    private static readonly Dictionary<string, string> Empty = [];
}

/// <summary>Where a run is.</summary>
public enum RunStatus
{
    /// <summary>Staged and being delivered.</summary>
    InFlight,

    /// <summary>Applied; waiting for an outside party to report completion (ON_RUN_COMPLETE).</summary>
    AwaitingCompletion,

    /// <summary>Done; its inputs consumed or pending explicit acks.</summary>
    Completed,

    /// <summary>Delivery failed; its inputs were re-queued or abandoned.</summary>
    Failed,

    /// <summary>Cut short by recovery, recycle or destroy.</summary>
    Interrupted,
}

/// <summary>One run's row.</summary>
public sealed class RunRecord
{
    /// <summary>Its id.</summary>
    public required string RunId { get; init; }

    /// <summary>Where it is.</summary>
    public RunStatus Status { get; set; }

    /// <summary>Inputs it carries, in delivery order.</summary>
    public required IReadOnlyList<string> InputIds { get; init; }

    /// <summary>Their positions, in the same order (the store keeps these, as ranges).</summary>
    public required IReadOnlyList<long> Positions { get; init; }

    /// <summary>When it was staged.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Why it failed.</summary>
    public string Error { get; set; } = "";

    /// <summary>A copy the store can read while the writer goes on changing this one.</summary>
    public RunRecord Snapshot() => (RunRecord)MemberwiseClone();
}

/// <summary>A boundary receipt: which inputs a boundary applied (the store keeps it with its run).</summary>
public sealed record ReceiptRecord(long Sequence, string RunId, IReadOnlyList<string> InputIds, string Digest, DateTimeOffset Time);

/// <summary>
/// One atomic ledger append for one runtime, made of snapshots (the store may read it after its writer moved on).
/// The store checks <see cref="ExpectedSequence"/> and
/// <see cref="OwnerEpoch"/> against the runtime's row (fencing), writes everything or nothing, and answers only
/// after the commit.
/// </summary>
public sealed class LedgerAppend
{
    /// <summary>The runtime row as it must be after the append (carries the new ledger sequence).</summary>
    public required RuntimeRecord Runtime { get; init; }

    /// <summary>True when this append creates the runtime (its row must not exist).</summary>
    public bool CreatesRuntime { get; init; }

    /// <summary>The ledger sequence the writer believes is current; the append gets this plus one.</summary>
    public required long ExpectedSequence { get; init; }

    /// <summary>The writer's owner epoch; refused when the stored one is newer.</summary>
    public required long OwnerEpoch { get; init; }

    /// <summary>A short word saying what the append is (accept, run, retire...), kept in the ledger row.</summary>
    public required string Kind { get; init; }

    /// <summary>New inputs, whole, at consecutive positions (the turn's Accepted record).</summary>
    public IReadOnlyList<InputRecord> Inserted { get; init; } = [];

    /// <summary>Changed inputs that are off the common path (their whole state is stored; the others are derived).</summary>
    public IReadOnlyList<InputRecord> Updated { get; init; } = [];

    /// <summary>New boundary receipts; each one's run is in <see cref="Runs"/>.</summary>
    public IReadOnlyList<ReceiptRecord> Receipts { get; init; } = [];

    /// <summary>New or changed runs.</summary>
    public IReadOnlyList<RunRecord> Runs { get; init; } = [];

    /// <summary>The turn's runtime events, written with it.</summary>
    public IReadOnlyList<RuntimeEvent> Events { get; init; } = [];

    /// <summary>The sequence the store gave the first of <see cref="Events"/> when it committed (set by the store).</summary>
    public long FirstEventSequence { get; set; }
}

/// <summary>What activating a runtime loads: its row, its non-terminal inputs and what recovery must check them against.</summary>
public sealed record LedgerSnapshot(
    RuntimeRecord Runtime,
    IReadOnlyList<InputRecord> LiveInputs,
    IReadOnlyList<RunRecord> OpenRuns,
    IReadOnlyDictionary<long, ReceiptRecord> ReferencedReceipts,
    long HighestLedgerSequence,
    IReadOnlyList<string> Problems);

/// <summary>Filter of <see cref="IRuntimeStore.ListRuntimesAsync"/>.</summary>
/// <param name="States">Any of these states; empty for any state.</param>
/// <param name="Labels">Every one of these labels with these values.</param>
/// <param name="IdPrefix">Ids starting with this.</param>
/// <param name="AfterId">Ids after this one (the page token).</param>
/// <param name="Limit">At most this many rows.</param>
public sealed record RuntimeListFilter(IReadOnlyCollection<RuntimeState> States, IReadOnlyDictionary<string, string> Labels, string IdPrefix, string AfterId, int Limit);
