namespace Runtime.Transports.Tests.Support;

/// <summary>The one bound every wait in these tests has, so a regression fails fast instead of hanging.</summary>
internal static class Bounded
{
    /// <summary>Longest any awaited signal may take.</summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(15);
}
