using Runtime.Core.Delivery;

namespace Runtime.Transports.Manager;

/// <summary>The lane a run waits in for an in-flight slot, picked from its items' payload types.</summary>
internal enum Lane
{
    /// <summary>Any item is RPC_SIGNAL: served first.</summary>
    Signal,

    /// <summary>Reliable work: served in arrival order after signals.</summary>
    Reliable,

    /// <summary>Every item is STREAM_LATENCY_FIRST: served last, dropped when the wire is under pressure.</summary>
    LatencyFirst,
}

/// <summary>Picks lanes.</summary>
internal static class Lanes
{
    /// <summary>The lane of a run: a signal anywhere promotes it; it is droppable only if every item is.</summary>
    public static Lane Of(RunDelivery run)
    {
        var allLatencyFirst = run.Items.Count > 0;
        foreach (var item in run.Items)
        {
            if (item.PayloadType == PayloadType.RpcSignal)
            {
                return Lane.Signal;
            }

            allLatencyFirst &= item.PayloadType == PayloadType.StreamLatencyFirst;
        }

        return allLatencyFirst ? Lane.LatencyFirst : Lane.Reliable;
    }
}
