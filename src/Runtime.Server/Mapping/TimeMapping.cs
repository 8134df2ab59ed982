using Google.Protobuf.WellKnownTypes;
using Runtime.Core.Errors;

namespace Runtime.Server.Mapping;

/// <summary>Proto well-known time types ⇄ .NET time types.</summary>
public static class TimeMapping
{
    /// <summary>A timestamp, or null for null.</summary>
    public static Timestamp? ToProto(this DateTimeOffset? time) => time is { } t ? Timestamp.FromDateTimeOffset(t) : null;

    /// <summary>A timestamp.</summary>
    public static Timestamp ToProto(this DateTimeOffset time) => Timestamp.FromDateTimeOffset(time);

    /// <summary>A duration.</summary>
    public static Duration ToProto(this TimeSpan span) => Duration.FromTimeSpan(span);

    /// <summary>
    /// A duration field that must be non-negative when set; null when unset. Rounded up to whole ticks, so a bound
    /// below one tick (<c>0.000000050s</c>) is the shortest bound rather than none.
    /// </summary>
    public static TimeSpan? ToDomain(this Duration? duration, string field)
    {
        if (duration is null)
        {
            return null;
        }

        if (!IsNonNegative(duration))
        {
            throw Fail.InvalidField(field, "must be a non-negative duration");
        }

        return RoundedUp(duration);
    }

    /// <summary>Whether a duration is valid (normalized, within the protobuf range) and not negative.</summary>
    public static bool IsNonNegative(Duration duration) =>
        duration.Seconds is >= 0 and <= Duration.MaxSeconds && duration.Nanos is >= 0 and < Duration.NanosecondsPerSecond;

    /// <summary>A valid non-negative duration in ticks, rounded up (Duration.ToTimeSpan truncates).</summary>
    public static TimeSpan RoundedUp(Duration duration) =>
        TimeSpan.FromTicks((duration.Seconds * TimeSpan.TicksPerSecond) + ((duration.Nanos + 99) / 100));

    /// <summary>
    /// A timestamp field; null when unset. It must be a valid timestamp (nanos 0-999,999,999, between
    /// 0001-01-01 and 9999-12-31), or it is a violation of <paramref name="field"/>.
    /// </summary>
    public static DateTimeOffset? ToDomain(this Timestamp? timestamp, string field)
    {
        if (timestamp is null)
        {
            return null;
        }

        if (timestamp.Nanos is < 0 or >= Duration.NanosecondsPerSecond ||
            timestamp.Seconds < Timestamp.FromDateTimeOffset(DateTimeOffset.MinValue).Seconds ||
            timestamp.Seconds > Timestamp.FromDateTimeOffset(DateTimeOffset.MaxValue).Seconds)
        {
            throw Fail.InvalidField(field, "must be a valid timestamp between 0001-01-01 and 9999-12-31 (nanos below 1,000,000,000)");
        }

        return timestamp.ToDateTimeOffset();
    }
}
