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

    /// <summary>A duration field that must be non-negative when set; null when unset.</summary>
    public static TimeSpan? ToDomain(this Duration? duration, string field)
    {
        if (duration is null)
        {
            return null;
        }

        var nanosOk = duration.Nanos is > -1_000_000_000 and < 1_000_000_000;
        if (!nanosOk || duration.Seconds < 0 || duration.Nanos < 0 || duration.Seconds > 315_576_000_000)
        {
            throw Fail.InvalidField(field, "must be a non-negative duration");
        }

        return duration.ToTimeSpan();
    }
}
