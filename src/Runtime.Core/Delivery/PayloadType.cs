namespace Runtime.Core.Delivery;

/// <summary>The lane an input travels in. Picks ordering and what may be dropped under pressure.</summary>
public enum PayloadType
{
    /// <summary>Reliable request/response delivery (the default).</summary>
    RpcReliable,

    /// <summary>Reliable and urgent: jumps ahead of queued reliable work.</summary>
    RpcSignal,

    /// <summary>Reliable streaming delivery.</summary>
    StreamReliable,

    /// <summary>Latest-wins streaming: may be dropped under pressure (always counted).</summary>
    StreamLatencyFirst,
}
