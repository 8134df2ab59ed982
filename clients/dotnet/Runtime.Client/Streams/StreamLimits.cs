using Google.Protobuf.WellKnownTypes;

namespace Runtime.Client.Streams;

/// <summary>A caller's max-count and max-duration limits, counted across every connection of one stream.</summary>
/// <param name="maxCount">The most items the caller asked for (0 = no limit).</param>
/// <param name="maxDuration">How long the caller asked the stream to last (null = no limit).</param>
/// <param name="time">The clock.</param>
internal sealed class StreamLimits(uint maxCount, Duration? maxDuration, TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();
    private readonly TimeSpan? _maxDuration = maxDuration?.ToTimeSpan();
    private ulong _delivered;

    /// <summary>True once either limit is reached.</summary>
    public bool Exhausted =>
        (maxCount > 0 && _delivered >= maxCount) || (_maxDuration is { } max && time.GetElapsedTime(_started) >= max);

    /// <summary>Counts delivered items.</summary>
    public void Count(int items) => _delivered += (ulong)items;

    /// <summary>The count limit left for the next connection (0 = no limit).</summary>
    public uint RemainingCount() => maxCount == 0 ? 0 : (uint)Math.Max(1, (long)maxCount - (long)_delivered);

    /// <summary>The duration left for the next connection (null = no limit).</summary>
    public Duration? RemainingDuration()
    {
        if (_maxDuration is not { } max)
        {
            return null;
        }

        var left = max - time.GetElapsedTime(_started);
        return Duration.FromTimeSpan(left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }
}
