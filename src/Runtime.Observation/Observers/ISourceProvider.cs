namespace Runtime.Observation.Observers;

/// <summary>Supplies the current set of sources an observer looks at; asked again before every cycle.</summary>
public interface ISourceProvider<TSource>
{
    /// <summary>The sources as they are now.</summary>
    ValueTask<IReadOnlyList<TSource>> GetSourcesAsync(CancellationToken cancellationToken);
}

/// <summary>A source provider made from a delegate.</summary>
public sealed class DelegateSourceProvider<TSource>(
    Func<CancellationToken, ValueTask<IReadOnlyList<TSource>>> getSources) : ISourceProvider<TSource>
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TSource>> GetSourcesAsync(CancellationToken cancellationToken) =>
        getSources(cancellationToken);
}
