using Runtime.Transports.Manager;
using Runtime.Transports.Tests.Support;

namespace Runtime.Transports.Tests.Manager;

public class LaneGateTests
{
    [Fact]
    public async Task A_freed_slot_goes_to_a_signal_before_older_reliable_waiters()
    {
        var gate = new LaneGate(capacity: 1, latencyFirstBacklog: 4);
        Assert.True(await gate.EnterAsync(Lane.Reliable, CancellationToken.None));

        var reliable = gate.EnterAsync(Lane.Reliable, CancellationToken.None).AsTask();
        var latency = gate.EnterAsync(Lane.LatencyFirst, CancellationToken.None).AsTask();
        var signal = gate.EnterAsync(Lane.Signal, CancellationToken.None).AsTask();

        gate.Release();
        Assert.True(await signal.WaitAsync(Bounded.Timeout));
        Assert.False(reliable.IsCompleted);

        gate.Release();
        Assert.True(await reliable.WaitAsync(Bounded.Timeout));
        Assert.False(latency.IsCompleted);

        gate.Release();
        Assert.True(await latency.WaitAsync(Bounded.Timeout));
        gate.Release();
        Assert.Equal(0, gate.InUse);
    }

    [Fact]
    public async Task Latency_first_is_refused_at_once_when_full_and_its_backlog_is_used()
    {
        var gate = new LaneGate(capacity: 1, latencyFirstBacklog: 1);
        Assert.True(await gate.EnterAsync(Lane.Reliable, CancellationToken.None));

        var waiting = gate.EnterAsync(Lane.LatencyFirst, CancellationToken.None);
        var refused = gate.EnterAsync(Lane.LatencyFirst, CancellationToken.None);

        Assert.False(waiting.IsCompleted);
        Assert.True(refused.IsCompleted);
        Assert.False(await refused);
        gate.Release();
        Assert.True(await waiting.AsTask().WaitAsync(Bounded.Timeout));
    }

    [Fact]
    public async Task A_cancelled_waiter_does_not_keep_a_slot()
    {
        var gate = new LaneGate(capacity: 1, latencyFirstBacklog: 0);
        Assert.True(await gate.EnterAsync(Lane.Reliable, CancellationToken.None));
        using var cancel = new CancellationTokenSource();

        var abandoned = gate.EnterAsync(Lane.Reliable, cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        var next = gate.EnterAsync(Lane.Reliable, CancellationToken.None).AsTask();
        gate.Release();

        Assert.True(await next.WaitAsync(Bounded.Timeout));
        gate.Release();
        Assert.Equal(0, gate.InUse);
    }
}
