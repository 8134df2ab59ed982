using Runtime.Observation.BuiltIn.Runtimes;
using Runtime.Observation.BuiltIn.Transports;

namespace Runtime.Observation.BuiltIn;

/// <summary>A runtime catalog for hosts that run no runtimes: always empty.</summary>
public sealed class EmptyRuntimeCatalog : IRuntimeCatalog
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RuntimeInfo>> ListRuntimesAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<RuntimeInfo>>([]);
}

/// <summary>A transport catalog for hosts that deliver nowhere: always empty.</summary>
public sealed class EmptyTransportCatalog : ITransportCatalog
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DestinationInfo>> ListDestinationsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<DestinationInfo>>([]);
}
