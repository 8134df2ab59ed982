using System.Threading.Channels;
using Runtime.Core.Delivery;
using Runtime.Transports.Wires.InProcess;

namespace Runtime.Transports.Tests.Support;

/// <summary>
/// An in-process sink that holds every delivery until the test releases it, and reports each arrival, so tests
/// can create pressure and observe order without timing.
/// </summary>
internal sealed class GatedSink : IInProcessSink
{
    private readonly Channel<(RunDelivery Run, TaskCompletionSource<DeliveryResult> Answer)> _arrivals = Channel.CreateUnbounded<(RunDelivery, TaskCompletionSource<DeliveryResult>)>();

    /// <inheritdoc />
    public async ValueTask<DeliveryResult> DeliverAsync(RunDelivery run, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<DeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _arrivals.Writer.WriteAsync((run, answer), cancellationToken);
        return await answer.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The next delivery that arrived; complete its answer to release it.</summary>
    public async Task<(RunDelivery Run, TaskCompletionSource<DeliveryResult> Answer)> NextAsync() =>
        await _arrivals.Reader.ReadAsync().AsTask().WaitAsync(Bounded.Timeout);

    /// <summary>Whether a delivery is waiting to be taken with <see cref="NextAsync"/>.</summary>
    public bool HasArrival => _arrivals.Reader.Count > 0;
}
