namespace Runtime.Core.Storage;

/// <summary>
/// Small named documents kept by the ledger's store, written by its one writer and as durable as a ledger commit:
/// the durable state that is not a runtime's (destination definitions now; the analytics filter, probes and
/// observer cycles can follow). A document is text (JSON by convention), keyed by (collection, key); its owner
/// decides its shape. SQLite now, PostgreSQL in cluster mode.
/// </summary>
public interface IDocumentStore
{
    /// <summary>Every document of <paramref name="collection"/>, by key.</summary>
    Task<IReadOnlyDictionary<string, string>> ReadAllAsync(string collection, CancellationToken cancellationToken);

    /// <summary>Writes (or, with a null <paramref name="document"/>, deletes) one document; completes once committed. Returns whether one existed before.</summary>
    Task<bool> WriteAsync(string collection, string key, string? document, CancellationToken cancellationToken);
}
