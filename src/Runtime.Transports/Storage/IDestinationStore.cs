using Runtime.Transports.Destinations;

namespace Runtime.Transports.Storage;

/// <summary>Where destination definitions live, so they survive a restart. Implementations must be thread-safe.</summary>
public interface IDestinationStore
{
    /// <summary>Every stored definition.</summary>
    Task<IReadOnlyList<DestinationDefinition>> LoadAllAsync(CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the definition with that name.</summary>
    Task UpsertAsync(DestinationDefinition definition, CancellationToken cancellationToken);

    /// <summary>Deletes a definition; false when there was none.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);
}
