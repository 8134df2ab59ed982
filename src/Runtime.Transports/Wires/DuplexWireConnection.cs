using System.Collections.Concurrent;
using System.Threading.Channels;
using Runtime.Contracts.V1;
using Runtime.Core.Delivery;

namespace Runtime.Transports.Wires;

/// <summary>
/// A long-lived two-way connection carrying <see cref="DeliverRequest"/>s out and <see cref="DeliverResponse"/>s back,
/// matched by <c>delivery_id</c> (answers may come in any order). One writer loop sends (the underlying streams
/// allow one pending write at a time), one reader loop completes the pending deliveries. When either loop fails
/// the connection is broken: every pending delivery ends as <see cref="WireOutcome.Lost"/>.
/// </summary>
internal abstract class DuplexWireConnection : IWireConnection
{
    // Not SingleReader: that variant cannot count its items, and the writer loop asks whether more are queued.
    private readonly Channel<DeliverRequest> _outbox = Channel.CreateUnbounded<DeliverRequest>();
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource<WireOutcome>> _pending = new();
    private readonly TaskCompletionSource<string> _broken = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lifetime = new();
    private Task _loops = Task.CompletedTask;
    private long _nextDeliveryId;

    /// <inheritdoc />
    public Task<string> Broken => _broken.Task;

    /// <inheritdoc />
    public int InFlight => _pending.Count;

    /// <summary>Cancelled when the connection breaks or is disposed.</summary>
    protected CancellationToken Lifetime => _lifetime.Token;

    /// <inheritdoc />
    public async ValueTask<WireOutcome> SendAsync(RunDelivery run, CancellationToken cancellationToken)
    {
        if (_broken.Task.IsCompleted)
        {
            return WireOutcome.Lost(_broken.Task.Result);
        }

        var id = (ulong)Interlocked.Increment(ref _nextDeliveryId);
        var answer = new TaskCompletionSource<WireOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;

        // Break() may have drained the pending set just before we joined it: whoever removes the entry answers it.
        if ((_broken.Task.IsCompleted || !_outbox.Writer.TryWrite(DeliveryMessages.ToRequest(run, id))) &&
            _pending.TryRemove(id, out _))
        {
            return WireOutcome.Lost(_broken.Task.IsCompleted ? _broken.Task.Result : "the connection is closing");
        }

        await using var registration = cancellationToken.Register(() =>
        {
            if (_pending.TryRemove(id, out var pending))
            {
                pending.TrySetCanceled(cancellationToken);
            }
        });
        return await answer.Task;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Break("the connection was closed");
        try
        {
            await CloseTransportAsync();
        }
        finally
        {
            await _loops.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _lifetime.Dispose();
        }
    }

    /// <summary>Starts the reader and writer loops; call once the transport is open.</summary>
    protected void StartLoops() => _loops = Task.WhenAll(Task.Run(WriteLoopAsync), Task.Run(ReadLoopAsync));

    /// <summary>
    /// Writes one request to the transport. <paramref name="moreQueued"/> says more requests follow at once, so the
    /// transport may buffer this one instead of flushing it.
    /// </summary>
    protected abstract ValueTask WriteAsync(DeliverRequest request, bool moreQueued, CancellationToken cancellationToken);

    /// <summary>Reads answers until the peer ends the stream (normal end) or the transport fails (throws).</summary>
    protected abstract IAsyncEnumerable<DeliverResponse> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Closes the transport and releases it (the loops are already told to stop).</summary>
    protected abstract ValueTask CloseTransportAsync();

    /// <summary>Marks the connection broken once; every pending delivery ends as lost.</summary>
    protected void Break(string reason)
    {
        if (!_broken.TrySetResult(reason))
        {
            return;
        }

        _outbox.Writer.TryComplete();
        _lifetime.Cancel();
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var pending))
            {
                pending.TrySetResult(WireOutcome.Lost(reason));
            }
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var request in _outbox.Reader.ReadAllAsync(Lifetime))
            {
                // Every queued request is written (even one whose sender gave up: its answer is ignored), so the
                // last of a burst, written with nothing queued behind it, always flushes the ones before it.
                await WriteAsync(request, _outbox.Reader.Count > 0, Lifetime);
            }
        }
        catch (Exception ex)
        {
            Break(WireErrors.Describe("sending failed", ex));
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            await foreach (var response in ReadAllAsync(Lifetime))
            {
                if (_pending.TryRemove(response.DeliveryId, out var pending))
                {
                    pending.TrySetResult(WireOutcome.Answered(DeliveryMessages.ToResult(response)));
                }
            }

            Break("the destination ended the stream");
        }
        catch (Exception ex)
        {
            Break(WireErrors.Describe("receiving failed", ex));
        }
    }
}
