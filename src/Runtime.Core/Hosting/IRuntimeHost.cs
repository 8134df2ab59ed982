namespace Runtime.Core.Hosting;

/// <summary>
/// The one way in to runtimes (DESIGN.md 5b.1): every call names its runtime by id and takes and returns plain
/// records, so the host behind it can later be a grain per runtime. The gRPC services only map proto ⇄ these records.
/// Failures are <see cref="Errors.RuntimeException"/>s.
/// </summary>
public interface IRuntimeHost
{
    /// <summary>Creates a runtime; the same spec again returns it, a different one is ALREADY_EXISTS.</summary>
    Task<RuntimeInfo> CreateRuntimeAsync(RuntimeSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Everything about a runtime (NOT_FOUND when unknown).</summary>
    Task<RuntimeInfo> GetRuntimeAsync(string runtimeId, CancellationToken cancellationToken = default);

    /// <summary>Runtimes by state, labels and id prefix, one page at a time.</summary>
    Task<RuntimePage> ListRuntimesAsync(RuntimeQuery query, CancellationToken cancellationToken = default);

    /// <summary>The runtime's state, queue depth and run in flight.</summary>
    Task<RuntimeStatus> GetRuntimeStateAsync(string runtimeId, CancellationToken cancellationToken = default);

    /// <summary>Points a runtime at another destination (empty for none).</summary>
    Task<RuntimeInfo> BindDestinationAsync(string runtimeId, string destination, CancellationToken cancellationToken = default);

    /// <summary>Accepts one input; answers after its commit. Invalid input or a quota throws.</summary>
    Task<AcceptResult> AcceptInputAsync(string runtimeId, InputSubmission input, CancellationToken cancellationToken = default);

    /// <summary>
    /// Accepts a batch (the bidirectional stream): one result per input, in order, after one commit. An input that is
    /// invalid or over a quota gets a REJECTED result carrying its <see cref="AcceptResult.Failure"/>; the others go on.
    /// </summary>
    Task<IReadOnlyList<AcceptResult>> AcceptInputsAsync(string runtimeId, IReadOnlyList<InputSubmission> inputs, CancellationToken cancellationToken = default);

    /// <summary>One input's ledger record (NOT_FOUND when unknown).</summary>
    Task<InputState> GetInputStateAsync(string runtimeId, string inputId, CancellationToken cancellationToken = default);

    /// <summary>A runtime's inputs in accept order, optionally in one phase, one page at a time.</summary>
    Task<InputPage> ListInputsAsync(InputQuery query, CancellationToken cancellationToken = default);

    /// <summary>Stops accepting, drains, then STOPPED.</summary>
    Task<RetireReport> RetireRuntimeAsync(string runtimeId, CancellationToken cancellationToken = default);

    /// <summary>A new driver instance (new owner epoch) takes over the ledger; in-flight inputs are re-queued.</summary>
    Task<RecycleReport> RecycleRuntimeAsync(string runtimeId, CancellationToken cancellationToken = default);

    /// <summary>Abandons every non-terminal input and returns to IDLE; refused while a run is in flight.</summary>
    Task<ResetReport> ResetRuntimeAsync(string runtimeId, CancellationToken cancellationToken = default);

    /// <summary>Replays the durable ledger (also lifts a quarantine once the ledger is consistent).</summary>
    Task<RecoveryReport> RecoverRuntimeAsync(string runtimeId, CancellationToken cancellationToken = default);

    /// <summary>Abandons everything; terminal.</summary>
    Task<DestroyReport> DestroyRuntimeAsync(string runtimeId, CancellationToken cancellationToken = default);

    /// <summary>One boundary receipt (NOT_FOUND when unknown).</summary>
    Task<BoundaryReceipt> GetBoundaryReceiptAsync(string runtimeId, string runId, long sequence, CancellationToken cancellationToken = default);

    /// <summary>An outside party reports run completion, run failure, explicit acks, or a custom event.</summary>
    Task<PublishResult> PublishEventAsync(string runtimeId, ExternalEvent reported, CancellationToken cancellationToken = default);

    /// <summary>Loads a runtime into memory now (recovering it if needed).</summary>
    Task ActivateAsync(string runtimeId, CancellationToken cancellationToken = default);

    /// <summary>Unloads a runtime from memory if it is idle (it is loaded again on its next request).</summary>
    Task DeactivateAsync(string runtimeId, CancellationToken cancellationToken = default);
}
