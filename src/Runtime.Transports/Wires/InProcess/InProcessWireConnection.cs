using Runtime.Core.Delivery;

namespace Runtime.Transports.Wires.InProcess;

/// <summary>An <c>inproc</c> wire: calls the named sink directly, no serialisation.</summary>
internal sealed class InProcessWireConnection(IInProcessSink sink) : IWireConnection
{
    private readonly TaskCompletionSource<string> _broken = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;

    /// <inheritdoc />
    public Task<string> Broken => _broken.Task;

    /// <inheritdoc />
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <inheritdoc />
    public async ValueTask<WireOutcome> SendAsync(RunDelivery run, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            return WireOutcome.Answered(await sink.DeliverAsync(run, cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A throwing sink is a bug in it; retrying keeps the inputs rather than losing them.
            return WireOutcome.Answered(new DeliveryResult(DeliveryStatus.RetryableFailure, WireErrors.Describe("the in-process sink failed", ex)));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
