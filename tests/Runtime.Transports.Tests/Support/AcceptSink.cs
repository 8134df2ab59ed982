using System.Collections.Concurrent;
using Runtime.Core.Delivery;
using Runtime.Transports.Wires.InProcess;

namespace Runtime.Transports.Tests.Support;

/// <summary>An in-process sink that acknowledges everything and remembers the input ids in arrival order.</summary>
internal sealed class AcceptSink : IInProcessSink
{
    /// <summary>Input ids received, in order.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    /// <inheritdoc />
    public ValueTask<DeliveryResult> DeliverAsync(RunDelivery run, CancellationToken cancellationToken)
    {
        foreach (var item in run.Items)
        {
            Received.Enqueue(item.InputId);
        }

        return ValueTask.FromResult(DeliveryResult.Acked);
    }
}
