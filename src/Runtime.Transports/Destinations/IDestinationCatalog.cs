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
    Task<DestinationStatus> GetDestinationAsync(string name, CancellationToken cancellationToken);

    /// <summary>Whether a destination with that name exists.</summary>
    bool HasDestination(string name);

    /// <summary>A page of destinations ordered by name.</summary>
    /// <param name="pageSize">1-1000; 0 means 100; anything else is INVALID_ARGUMENT.</param>
    /// <param name="pageToken">The previous page's <see cref="DestinationPage.NextPageToken"/>, or empty.</param>
    Task<DestinationPage> ListDestinationsAsync(int pageSize, string? pageToken, CancellationToken cancellationToken);

    /// <summary>Drops a destination's connections and keeps its definition; the next send reconnects.</summary>
    Task<CloseDestinationResult> CloseDestinationAsync(string name, CancellationToken cancellationToken);

    /// <summary>Deletes a destination; refused while a live runtime is bound to it.</summary>
    Task DeleteDestinationAsync(string name, CancellationToken cancellationToken);
}

/// <summary>How many live (not destroyed) runtimes are bound to destinations; implemented over the runtime host.</summary>
public interface IDestinationBindings
{
    /// <summary>Live runtimes bound to each of <paramref name="destinations"/> (every name present, zeros included).</summary>
    ValueTask<IReadOnlyDictionary<string, int>> CountBoundRuntimesAsync(
        IReadOnlyCollection<string> destinations, CancellationToken cancellationToken);
}

/// <summary>Bindings answered by a function (for hosts that keep the count elsewhere, and for tests).</summary>
/// <param name="count">Live runtimes bound to a destination name.</param>
public sealed class DestinationBindings(Func<string, int> count) : IDestinationBindings
{
    /// <summary>No runtime is ever bound.</summary>
    public static DestinationBindings None { get; } = new(_ => 0);

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<string, int>> CountBoundRuntimesAsync(
        IReadOnlyCollection<string> destinations, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyDictionary<string, int>>(
            destinations.Distinct(StringComparer.Ordinal).ToDictionary(d => d, count, StringComparer.Ordinal));
}
