using Runtime.Core.Inputs;

namespace Runtime.Core.Storage;

/// <summary>
/// The durable ledger behind the runtimes (DESIGN.md 5b.2): appends fenced by expected sequence and owner epoch,
/// group-committed, and reads that never wait for the writer. SQLite now, PostgreSQL later.
/// Store failures surface as <see cref="Errors.RuntimeException"/> (ABORTED for fencing, UNAVAILABLE for I/O).
/// </summary>
public interface IRuntimeStore : IAsyncDisposable
{
    /// <summary>Opens the store and brings its schema to the current version.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Writes one append atomically; completes after its transaction committed.</summary>
    Task AppendAsync(LedgerAppend append, CancellationToken cancellationToken);

    /// <summary>A runtime's row, or null.</summary>
    Task<RuntimeRecord?> FindRuntimeAsync(string runtimeId, CancellationToken cancellationToken);

    /// <summary>Runtime rows ordered by id, after <see cref="RuntimeListFilter.AfterId"/>.</summary>
    Task<IReadOnlyList<RuntimeRecord>> ListRuntimesAsync(RuntimeListFilter filter, CancellationToken cancellationToken);

    /// <summary>Ids of runtimes recovery must visit: those with non-terminal inputs or caught mid-run or retiring.</summary>
    Task<IReadOnlyList<string>> ListRuntimesToRecoverAsync(CancellationToken cancellationToken);

    /// <summary>Loads what activating a runtime needs, checking the ledger for contradictions on the way.</summary>
    Task<LedgerSnapshot?> LoadAsync(string runtimeId, CancellationToken cancellationToken);

    /// <summary>One input by id, with its whole history.</summary>
    Task<InputRecord?> FindInputAsync(long runtimeKey, string inputId, CancellationToken cancellationToken);

    /// <summary>
    /// The inputs holding any of these idempotency keys (by key) and any of these ids (by id), in one round trip:
    /// what an accept turn needs to deduplicate a whole batch.
    /// </summary>
    Task<(IReadOnlyDictionary<string, InputRecord> ByKey, IReadOnlyDictionary<string, InputRecord> ById)> FindExistingAsync(
        long runtimeKey, IReadOnlyCollection<string> idempotencyKeys, IReadOnlyCollection<string> inputIds, CancellationToken cancellationToken);

    /// <summary>Inputs in accept order after a position, in any of <paramref name="phases"/> (empty for every phase).</summary>
    Task<IReadOnlyList<InputRecord>> ListInputsAsync(long runtimeKey, IReadOnlyCollection<InputPhase> phases, long afterPosition, int limit, CancellationToken cancellationToken);

    /// <summary>One boundary receipt.</summary>
    Task<ReceiptRecord?> FindReceiptAsync(long runtimeKey, string runId, long sequence, CancellationToken cancellationToken);

    /// <summary>One run.</summary>
    Task<RunRecord?> FindRunAsync(long runtimeKey, string runId, CancellationToken cancellationToken);
}
