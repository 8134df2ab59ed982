namespace Runtime.Transports.Manager;

/// <summary>Exponential backoff with jitter for re-dialling failed wires.</summary>
internal static class ReconnectBackoff
{
    /// <summary>
    /// Wait before the next dial after <paramref name="failedAttempts"/> failed ones (0 after a connection broke):
    /// initial × 2^(attempts−1), capped, then spread by ±jitter.
    /// </summary>
    public static TimeSpan Next(TransportOptions options, int failedAttempts)
    {
        var exponent = Math.Clamp(failedAttempts - 1, 0, 30);
        var ticks = Math.Min(options.MaxReconnectBackoff.Ticks, options.InitialReconnectBackoff.Ticks * Math.Pow(2, exponent));
        var spread = 1 + (options.ReconnectJitter * ((Random.Shared.NextDouble() * 2) - 1));
        return TimeSpan.FromTicks((long)(ticks * spread));
    }
}
