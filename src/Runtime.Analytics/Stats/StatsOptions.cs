namespace Runtime.Analytics.Stats;

/// <summary>Settings of the stats engine (section <c>Runtime:Analytics:Stats</c>).</summary>
public sealed class StatsOptions
{
    /// <summary>The sliding window rates cover (whole seconds, at least 2).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A trend within this many percent either way is stable.</summary>
    public double StableBandPercent { get; set; } = 10;

    /// <summary>Most rows kept per kind (runtimes, destinations); later keys are folded into one "(other)" row.</summary>
    public int MaxRows { get; set; } = 100_000;
}
