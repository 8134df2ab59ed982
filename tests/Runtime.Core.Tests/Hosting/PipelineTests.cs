using System.Threading.Channels;
using System.Text;
using Runtime.Core.Delivery;
using Runtime.Core.Hosting;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;
using Runtime.Core.Runtimes;
using Runtime.Core.Tests.Support;

namespace Runtime.Core.Tests.Hosting;

/// <summary>Several runs in flight at once (policy max_runs_in_flight): order, receipts and failures.</summary>
public sealed class PipelineTests
{
    private const string Sink = "inproc:held";

    private static readonly RuntimePolicy Pipelined = RuntimePolicy.Default with
    {
        MaxRunsInFlight = 4,
        MaxBatchPerRun = 2,
        MaxAttempts = 5,
        RetryBackoff = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 1.0),
    };

    /// <summary>A sink that holds each delivery until the test answers it.</summary>
    private sealed class HeldSink
    {
        private readonly Channel<(RunDelivery Run, TaskCompletionSource<DeliveryResult> Answer)> _waiting =
            Channel.CreateUnbounded<(RunDelivery, TaskCompletionSource<DeliveryResult>)>();

        /// <summary>Deliveries not taken yet.</summary>
        public int Waiting => _waiting.Reader.Count;

        public List<string> Delivered { get; } = [];

        public ValueTask<DeliveryResult> Deliver(RunDelivery run, CancellationToken cancellationToken)
        {
            var answer = new TaskCompletionSource<DeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (Delivered)
            {
                Delivered.AddRange(run.Items.Select(i => Encoding.UTF8.GetString(i.Payload.Span)));
            }

            _waiting.Writer.TryWrite((run, answer));
            cancellationToken.Register(() => answer.TrySetCanceled(cancellationToken));
            return new ValueTask<DeliveryResult>(answer.Task);
        }

        public async Task<List<(RunDelivery Run, TaskCompletionSource<DeliveryResult> Answer)>> TakeAsync(int runs)
        {
            var taken = new List<(RunDelivery, TaskCompletionSource<DeliveryResult>)>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (taken.Count < runs)
            {
                taken.Add(await _waiting.Reader.ReadAsync(timeout.Token));
            }

            return taken;
        }
    }

    private static async Task<(HostFixture F, HeldSink Sink, IReadOnlyList<AcceptResult> Accepted)> StartAsync(int inputs)
    {
        var f = await HostFixture.StartAsync();
        var sink = new HeldSink();
        f.Port.Register(Sink, sink.Deliver);
        await f.CreateAsync("rt", destination: Sink, policy: Pipelined);
        var accepted = await f.Host.AcceptInputsAsync("rt",
            Enumerable.Range(1, inputs).Select(i => HostFixture.Input($"in-{i}")).ToList());
        return (f, sink, accepted);
    }

    [Fact]
    public async Task Up_to_the_policy_limit_runs_are_delivered_at_once_and_their_receipts_commit_in_staging_order()
    {
        var (f, sink, accepted) = await StartAsync(10);
        await using var _ = f;

        var first = await sink.TakeAsync(4);
        var status = await f.Host.GetRuntimeStateAsync("rt");
        Assert.Equal(RuntimeState.Running, status.State);
        Assert.Equal(8, status.InFlight);
        Assert.Equal(2, status.QueueDepth);
        Assert.Equal(0, sink.Waiting);

        // Answered newest first: nothing is applied before the oldest run's answer, then all four in order.
        foreach (var (_, answer) in Enumerable.Reverse(first))
        {
            answer.SetResult(DeliveryResult.Acked);
        }

        var last = await sink.TakeAsync(1);
        last[0].Answer.SetResult(DeliveryResult.Acked);
        await f.SettleAsync("rt");

        var states = await Task.WhenAll(accepted.Select(a => f.Host.GetInputStateAsync("rt", a.InputId)));
        Assert.All(states, s => Assert.Equal(InputPhase.Consumed, s.Phase));
        Assert.Equal([1L, 1, 2, 2, 3, 3, 4, 4, 5, 5], states.Select(s => s.LastBoundarySequence));
        Assert.Equal(first.Select(r => r.Run.RunId).Append(last[0].Run.RunId),
            states.Where((_, i) => i % 2 == 0).Select(s => s.LastRunId));
        Assert.Equal(RuntimeState.Attached, (await f.Host.GetRuntimeAsync("rt")).State);
    }

    [Fact]
    public async Task A_failed_run_sends_later_runs_back_so_FIFO_order_holds_across_the_retry()
    {
        var (f, sink, accepted) = await StartAsync(8);
        await using var _ = f;

        var runs = await sink.TakeAsync(4);
        runs[1].Answer.SetResult(DeliveryResult.Acked); // answered before the head: must wait for it
        runs[0].Answer.SetResult(new DeliveryResult(DeliveryStatus.RetryableFailure, "boom"));
        await f.SettleAsync("rt");

        var waiting = await Task.WhenAll(accepted.Select(a => f.Host.GetInputStateAsync("rt", a.InputId)));
        Assert.All(waiting, s => Assert.Equal(InputPhase.Queued, s.Phase));
        Assert.Equal([1, 1, 0, 0, 0, 0, 0, 0], waiting.Select(s => s.AttemptCount)); // withdrawn runs cost no attempt
        Assert.Contains(waiting[2].History, t => t.Reason.Contains("withdrawn: earlier run", StringComparison.Ordinal));
        Assert.Equal(0, (await f.Host.GetRuntimeAsync("rt")).LastBoundarySequence);

        f.Time.Advance(TimeSpan.FromSeconds(1));
        foreach (var (_, answer) in await sink.TakeAsync(4))
        {
            answer.SetResult(DeliveryResult.Acked);
        }

        await f.SettleAsync("rt");
        var done = await Task.WhenAll(accepted.Select(a => f.Host.GetInputStateAsync("rt", a.InputId)));
        Assert.All(done, s => Assert.Equal(InputPhase.Consumed, s.Phase));
        Assert.Equal([1L, 1, 2, 2, 3, 3, 4, 4], done.Select(s => s.LastBoundarySequence));

        // The sink saw the first four runs, then every input again in accept order.
        var expected = Enumerable.Range(1, 8).Select(i => $"in-{i}").ToList();
        Assert.Equal(expected, sink.Delivered.Skip(8));
    }

    [Fact]
    public async Task Runs_that_await_their_completion_are_not_pipelined()
    {
        await using var f = await HostFixture.StartAsync();
        var sink = new HeldSink();
        f.Port.Register(Sink, sink.Deliver);
        await f.CreateAsync("rt", destination: Sink, policy: Pipelined with { ConsumePoint = ConsumePoint.OnRunComplete });
        await f.Host.AcceptInputsAsync("rt", Enumerable.Range(1, 6).Select(i => HostFixture.Input($"in-{i}")).ToList());

        var first = Assert.Single(await sink.TakeAsync(1));
        Assert.Equal(0, sink.Waiting);
        first.Answer.SetResult(DeliveryResult.Acked);
        await f.SettleAsync("rt");
        Assert.Equal(0, sink.Waiting); // applied, awaiting its completion: the next run waits for it
        await f.Host.PublishEventAsync("rt", new ExternalEvent { Kind = ExternalEventKind.RunCompleted, RunId = first.Run.RunId });
        var second = Assert.Single(await sink.TakeAsync(1));

        Assert.NotEqual(first.Run.RunId, second.Run.RunId);
        Assert.Equal(["in-1", "in-2", "in-3", "in-4"], sink.Delivered);
    }

    [Fact]
    public async Task Runs_caught_in_flight_by_a_restart_are_recovered_and_delivered_again()
    {
        var (f, sink, accepted) = await StartAsync(6);
        await using var _ = f;
        await sink.TakeAsync(3);

        var sinkAfter = new HeldSink();
        f.Port.Register(Sink, sinkAfter.Deliver);
        await f.RestartAsync();
        foreach (var (_, answer) in await sinkAfter.TakeAsync(3))
        {
            answer.SetResult(DeliveryResult.Acked);
        }

        await f.SettleAsync("rt");
        var done = await Task.WhenAll(accepted.Select(a => f.Host.GetInputStateAsync("rt", a.InputId)));
        Assert.All(done, s => Assert.Equal(InputPhase.Consumed, s.Phase));
        Assert.All(done, s => Assert.Equal(1, s.RecoveryCount));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"in-{i}"), sinkAfter.Delivered);
    }
}
