namespace Runtime.Analytics.Stats;

/// <summary>What the stats engine counts.</summary>
public enum StatsMetric
{
    /// <summary>Inputs accepted.</summary>
    Accepted,

    /// <summary>Inputs consumed.</summary>
    Consumed,

    /// <summary>Inputs abandoned.</summary>
    Abandoned,

    /// <summary>Runs that failed (each a failed delivery attempt).</summary>
    FailedAttempts,

    /// <summary>Payload bytes accepted.</summary>
    Bytes,
}

/// <summary>Which way a rate is heading: the last half of the window against the half before it.</summary>
public enum Trend
{
    /// <summary>Within the stable band.</summary>
    Stable,

    /// <summary>Higher than the half before.</summary>
    Rising,

    /// <summary>Lower than the half before.</summary>
    Falling,
}
