namespace Runtime.Transports.Destinations;

/// <summary>Live state of one wire.</summary>
public enum WireState
{
    /// <summary>Not connected yet (connections are lazy) or closed; the next send connects.</summary>
    Idle,

    /// <summary>A connection attempt is under way.</summary>
    Connecting,

    /// <summary>Connected and usable.</summary>
    Ready,

    /// <summary>Failed; re-dialled with backoff by the health checker (or by a send once its retry time has come).</summary>
    Failed,
}
