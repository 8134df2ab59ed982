namespace Runtime.Bench.Harness;

/// <summary>Quantiles of a scenario's per-round figures (a handful of values, not a latency histogram).</summary>
public static class Quantiles
{
    /// <summary>The linear-interpolated quantile <paramref name="q"/> (0 to 1) of values already in order.</summary>
    public static double OfSorted(IReadOnlyList<double> sorted, double q)
    {
        var at = q * (sorted.Count - 1);
        var low = (int)Math.Floor(at);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + ((sorted[high] - sorted[low]) * (at - low));
    }

    /// <summary>The median: the middle value, or the mean of the two middle ones.</summary>
    public static double Median(IEnumerable<double> values) => OfSorted(values.Order().ToArray(), 0.5);
}
