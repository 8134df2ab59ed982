namespace Runtime.Transports.Destinations;

/// <summary>
/// Destinations and their wires, as TransportService exposes them. Failures a caller can act on are
/// <see cref="Core.Errors.RuntimeException"/>s: INVALID_ARGUMENT (<c>INVALID_DESTINATION</c>, <c>INVALID_PAGE_TOKEN</c>),
/// ALREADY_EXISTS (<c>DESTINATION_ALREADY_EXISTS</c>), NOT_FOUND (<c>DESTINATION_NOT_FOUND</c>),
/// FAILED_PRECONDITION (<c>DESTINATION_IN_USE</c>).
/// </summary>
public interface IDestinationCatalog
{
    /// <summary>
    /// Defines a destination (durably) and returns it. Creating one identical to an existing one returns the
    /// existing one; a different one with the same name is ALREADY_EXISTS.
    /// </summary>
    Task<DestinationStatus> CreateDestinationAsync(string name, IReadOnlyList<WireDefinition> wires, CancellationToken cancellationToken);

    /// <summary>A destination with the live state of each wire.</summary>
    DestinationStatus GetDestination(string name);

    /// <summary>Whether a destination with that name exists.</summary>
    bool HasDestination(string name);

    /// <summary>A page of destinations ordered by name.</summary>
    /// <param name="pageSize">1-1000; 0 means 100; larger values are capped at 1000.</param>
    /// <param name="pageToken">The previous page's <see cref="DestinationPage.NextPageToken"/>, or empty.</param>
    DestinationPage ListDestinations(int pageSize, string? pageToken);

    /// <summary>Drops a destination's connections and keeps its definition; the next send reconnects.</summary>
    Task<CloseDestinationResult> CloseDestinationAsync(string name, CancellationToken cancellationToken);

    /// <summary>Deletes a destination; refused while a live runtime is bound to it.</summary>
    Task DeleteDestinationAsync(string name, CancellationToken cancellationToken);
}

/// <summary>How many live (not destroyed) runtimes are bound to a destination; implemented by the runtime host.</summary>
public interface IDestinationBindings
{
    /// <summary>Live runtimes bound to <paramref name="destination"/>.</summary>
    int CountBoundRuntimes(string destination);
}

/// <summary>Bindings answered by a function (for hosts that keep the count elsewhere, and for tests).</summary>
/// <param name="count">Live runtimes bound to a destination name.</param>
public sealed class DestinationBindings(Func<string, int> count) : IDestinationBindings
{
    /// <summary>No runtime is ever bound.</summary>
    public static DestinationBindings None { get; } = new(_ => 0);

    /// <inheritdoc />
    public int CountBoundRuntimes(string destination) => count(destination);
}
