using Runtime.Observation.Filtering;

namespace Runtime.Observation.Observers;

/// <summary>What an observer's snapshot holds. Concrete contents are immutable records.</summary>
public abstract record SnapshotContent
{
    /// <summary>
    /// The content restricted to what <paramref name="filter"/> selects (rows about matching runtimes). Contents
    /// without rows return themselves.
    /// </summary>
    public virtual SnapshotContent Filter(IObservationFilter filter) => this;
}
