using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Runtime.Core.Delivery;
using Runtime.Core.Errors;
using Runtime.Core.Hosting;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;
using Runtime.Core.Runtimes;
using Runtime.Core.Tests.Support;

namespace Runtime.Core.Tests.Hosting;

public sealed class PolicyTests
{
    /// <summary>Registers a sink that records what it receives and acks.</summary>
    private static ConcurrentQueue<RunDelivery> Recorder(HostFixture f, string name)
    {
        var received = new ConcurrentQueue<RunDelivery>();
        f.Port.Register(name, (run, _) =>
        {
            received.Enqueue(run);
            return ValueTask.FromResult(DeliveryResult.Acked);
        });
        return received;
    }

    private static string[] Payloads(IEnumerable<RunDelivery> runs) =>
        runs.SelectMany(r => r.Items).Select(i => Encoding.UTF8.GetString(i.Payload.Span)).ToArray();

    /// <summary>Accepts while detached, then binds the recorder so the whole queue is ordered at once.</summary>
    private static async Task<ConcurrentQueue<RunDelivery>> DeliverQueued(HostFixture f, string runtimeId)
    {
        var received = Recorder(f, "inproc:rec");
        await f.Host.BindDestinationAsync(runtimeId, "inproc:rec");
        await f.SettleAsync(runtimeId);
        return received;
    }

    [Fact]
    public async Task Fifo_delivers_in_accept_order_in_batches_and_consumes_on_apply()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "", policy: RuntimePolicy.Default with { MaxBatchPerRun = 2 });
        var accepted = await f.Host.AcceptInputsAsync("rt", Enumerable.Range(1, 5).Select(i => HostFixture.Input($"m{i}")).ToList());

        var received = await DeliverQueued(f, "rt");

        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], Payloads(received));
        Assert.Equal([2, 2, 1], received.Select(r => r.Items.Count));
        var info = await f.Host.GetRuntimeAsync("rt");
        Assert.Equal(5, info.PhaseCounts[InputPhase.Consumed]);
        Assert.Equal(RuntimeState.Attached, info.State);
        Assert.Equal(3, info.LastBoundarySequence);
        var state = await f.Host.GetInputStateAsync("rt", accepted[0].InputId);
        Assert.Equal(
            [InputPhase.Accepted, InputPhase.Queued, InputPhase.Staged, InputPhase.Applied, InputPhase.Consumed],
            state.History.Select(h => h.To));
        Assert.Equal(1, state.AttemptCount);
        Assert.Equal(1, state.LastBoundarySequence);
    }

    [Fact]
    public async Task Receipt_lists_the_run_inputs_with_a_sha256_of_their_payloads()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "");
        var accepted = await f.Host.AcceptInputsAsync("rt", [HostFixture.Input("x"), HostFixture.Input("yz")]);
        var received = await DeliverQueued(f, "rt");
        var runId = Assert.Single(received).RunId;

        var receipt = await f.Host.GetBoundaryReceiptAsync("rt", runId, 1);
        var missing = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.GetBoundaryReceiptAsync("rt", runId, 2));

        Assert.Equal(accepted.Select(a => a.InputId), receipt.InputIds);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("xyz"u8)), receipt.Digest);
        Assert.Equal(f.Time.GetUtcNow(), receipt.Time);
        Assert.Equal("RECEIPT_NOT_FOUND", missing.Reason);
    }

    [Fact]
    public async Task Priority_mode_orders_by_priority_and_signals_jump_the_queue_in_every_mode()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "", policy: RuntimePolicy.Default with { QueueMode = QueueMode.Priority });
        await f.Host.AcceptInputsAsync("rt",
        [
            HostFixture.Input("low") with { Priority = 1 },
            HostFixture.Input("high") with { Priority = 9 },
            HostFixture.Input("mid") with { Priority = 5 },
            HostFixture.Input("signal") with { PayloadType = PayloadType.RpcSignal },
            HostFixture.Input("high2") with { Priority = 9 },
        ]);

        var received = await DeliverQueued(f, "rt");

        Assert.Equal(["signal", "high", "high2", "mid", "low"], Payloads(received));
    }

    [Fact]
    public async Task Signal_jumps_a_fifo_queue()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "");
        await f.Host.AcceptInputsAsync("rt",
            [HostFixture.Input("a"), HostFixture.Input("b"), HostFixture.Input("stop") with { PayloadType = PayloadType.RpcSignal }]);

        var received = await DeliverQueued(f, "rt");

        Assert.Equal(["stop", "a", "b"], Payloads(received));
    }

    [Fact]
    public async Task Coalesce_merges_into_the_queued_input_with_the_same_key()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "", policy: RuntimePolicy.Default with { QueueMode = QueueMode.Coalesce });

        var results = await f.Host.AcceptInputsAsync("rt",
        [
            HostFixture.Input("refresh-1") with { CoalesceKey = "refresh" },
            HostFixture.Input("other"),
            HostFixture.Input("refresh-2") with { CoalesceKey = "refresh" },
        ]);
        var delivered = Payloads(await DeliverQueued(f, "rt"));
        var later = await f.Host.AcceptInputAsync("rt", HostFixture.Input("refresh-3") with { CoalesceKey = "refresh" });

        Assert.Equal(InputPhase.Coalesced, results[2].Phase);
        Assert.Equal(results[0].InputId, results[2].ExistingInputId);
        Assert.Equal(["refresh-1", "other"], delivered);
        Assert.Equal(InputPhase.Queued, later.Phase); // the survivor was delivered, so a new one queues
        Assert.Equal(InputPhase.Coalesced, (await f.Host.GetInputStateAsync("rt", results[2].InputId)).Phase);
    }

    [Fact]
    public async Task Supersede_ends_older_queued_inputs_with_the_same_key()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "", policy: RuntimePolicy.Default with { QueueMode = QueueMode.Supersede });

        var results = await f.Host.AcceptInputsAsync("rt",
        [
            HostFixture.Input("v1") with { SupersessionKey = "doc" },
            HostFixture.Input("x"),
            HostFixture.Input("v2") with { SupersessionKey = "doc" },
        ]);
        var received = await DeliverQueued(f, "rt");

        Assert.Equal(["x", "v2"], Payloads(received));
        var first = await f.Host.GetInputStateAsync("rt", results[0].InputId);
        Assert.Equal(InputPhase.Superseded, first.Phase);
        Assert.Contains(results[2].InputId, first.History[^1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_accept_records_and_consumes_without_delivering()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: InProcessDeliveryPort.AcceptSink, policy: RuntimePolicy.Default with { ConsumePoint = ConsumePoint.OnAccept });

        var result = await f.Host.AcceptInputAsync("rt", HostFixture.Input("audit"));
        await f.SettleAsync("rt");

        Assert.Equal(InputPhase.Consumed, result.Phase);
        Assert.Equal((0, 0), f.Port.Received(InProcessDeliveryPort.AcceptSink));
        Assert.Equal(
            [InputPhase.Accepted, InputPhase.Consumed],
            (await f.Host.GetInputStateAsync("rt", result.InputId)).History.Select(h => h.To));
    }

    [Fact]
    public async Task Explicit_ack_holds_inputs_until_acked_and_the_runtime_moves_on()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", policy: RuntimePolicy.Default with { ConsumePoint = ConsumePoint.ExplicitAck, MaxBatchPerRun = 1 });

        var a = await f.Host.AcceptInputAsync("rt", HostFixture.Input("a"));
        var b = await f.Host.AcceptInputAsync("rt", HostFixture.Input("b"));
        await f.SettleAsync("rt");
        var queuedOne = await f.Host.AcceptInputAsync("rt", HostFixture.Input("c") with { ConsumePoint = ConsumePoint.OnApply });
        await f.SettleAsync("rt");

        Assert.Equal(InputPhase.AppliedPendingConsumption, (await f.Host.GetInputStateAsync("rt", a.InputId)).Phase);
        Assert.Equal(InputPhase.AppliedPendingConsumption, (await f.Host.GetInputStateAsync("rt", b.InputId)).Phase);
        Assert.Equal(InputPhase.Consumed, (await f.Host.GetInputStateAsync("rt", queuedOne.InputId)).Phase);

        var ack = await f.Host.PublishEventAsync("rt", new ExternalEvent { Kind = ExternalEventKind.InputsAcked, InputIds = [a.InputId] });
        var again = await f.Host.PublishEventAsync("rt", new ExternalEvent { Kind = ExternalEventKind.InputsAcked, InputIds = [a.InputId] });
        var unknown = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.PublishEventAsync("rt",
            new ExternalEvent { Kind = ExternalEventKind.InputsAcked, InputIds = ["nope"] }));

        Assert.Equal(1, ack.InputsConsumed);
        Assert.Equal([a.InputId], ack.AffectedInputIds);
        Assert.Equal(0, again.InputsConsumed);
        Assert.Empty(again.AffectedInputIds); // a repeated ack moves nothing
        Assert.Equal("INPUT_NOT_FOUND", unknown.Reason);
        Assert.Equal(InputPhase.Consumed, (await f.Host.GetInputStateAsync("rt", a.InputId)).Phase);
        Assert.Equal(1, (await f.Host.GetRuntimeAsync("rt")).PhaseCounts[InputPhase.AppliedPendingConsumption]);
    }

    [Fact]
    public async Task Acking_an_input_that_is_not_awaiting_an_ack_is_a_failed_precondition()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "");
        var queued = await f.Host.AcceptInputAsync("rt", HostFixture.Input("a"));

        var error = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.PublishEventAsync("rt",
            new ExternalEvent { Kind = ExternalEventKind.InputsAcked, InputIds = [queued.InputId] }));

        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Equal("INPUT_NOT_AWAITING_ACK", error.Reason);
        Assert.Equal("Queued", error.Metadata["phase"]);
    }

    [Fact]
    public async Task On_run_complete_keeps_the_run_open_until_it_is_reported()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", policy: RuntimePolicy.Default with { ConsumePoint = ConsumePoint.OnRunComplete, MaxBatchPerRun = 2 });
        var accepted = await f.Host.AcceptInputsAsync("rt", [HostFixture.Input("a"), HostFixture.Input("b"), HostFixture.Input("c")]);
        await f.SettleAsync("rt");

        var status = await f.Host.GetRuntimeStateAsync("rt");
        Assert.Equal(RuntimeState.Running, status.State);
        var runId = status.CurrentRunId!;
        Assert.Equal(InputPhase.Applied, (await f.Host.GetInputStateAsync("rt", accepted[0].InputId)).Phase);
        Assert.Equal(InputPhase.Queued, (await f.Host.GetInputStateAsync("rt", accepted[2].InputId)).Phase);

        var unknown = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.PublishEventAsync("rt",
            new ExternalEvent { Kind = ExternalEventKind.RunCompleted, RunId = "missing-run" }));
        var done = await f.Host.PublishEventAsync("rt", new ExternalEvent { Kind = ExternalEventKind.RunCompleted, RunId = runId });
        var twice = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.PublishEventAsync("rt",
            new ExternalEvent { Kind = ExternalEventKind.RunCompleted, RunId = runId }));
        await f.SettleAsync("rt");
        var second = (await f.Host.GetRuntimeStateAsync("rt")).CurrentRunId!;
        var failed = await f.Host.PublishEventAsync("rt", new ExternalEvent { Kind = ExternalEventKind.RunFailed, RunId = second, Error = "worker crashed" });
        await f.SettleAsync("rt");

        Assert.Equal("RUN_NOT_FOUND", unknown.Reason);
        Assert.Equal(ErrorKind.NotFound, unknown.Kind);
        Assert.Equal(2, done.InputsConsumed);
        Assert.Equal(accepted.Take(2).Select(x => x.InputId), done.AffectedInputIds);
        Assert.Equal("RUN_NOT_AWAITING_COMPLETION", twice.Reason);
        Assert.Equal(ErrorKind.FailedPrecondition, twice.Kind);
        Assert.Equal(1, failed.InputsAbandoned);
        Assert.Equal([accepted[2].InputId], failed.AffectedInputIds);
        var c = await f.Host.GetInputStateAsync("rt", accepted[2].InputId);
        Assert.Equal(InputPhase.Abandoned, c.Phase);
        Assert.Equal(AbandonReason.NeverExecuted, c.AbandonReason);
        Assert.Equal("worker crashed", c.LastError);
        Assert.Equal(RuntimeState.Attached, (await f.Host.GetRuntimeAsync("rt")).State);
    }

    [Fact]
    public async Task Runtime_is_idle_without_a_ready_destination_and_attached_with_one()
    {
        await using var f = await HostFixture.StartAsync();
        Assert.Equal(RuntimeState.Idle, (await f.CreateAsync("none", destination: "")).State);
        Assert.Equal(RuntimeState.Idle, (await f.CreateAsync("missing", destination: "inproc:nobody")).State);
        Assert.Equal(RuntimeState.Attached, (await f.CreateAsync("ready")).State);

        await f.Host.AcceptInputAsync("ready", HostFixture.Input("x"));
        await f.SettleAsync("ready");
        f.Port.SetAvailable(InProcessDeliveryPort.AcceptSink, false);
        await f.SettleAsync("ready");
        Assert.Equal(RuntimeState.Idle, (await f.Host.GetRuntimeAsync("ready")).State);
        var queued = await f.Host.AcceptInputAsync("ready", HostFixture.Input("y"));
        f.Port.SetAvailable(InProcessDeliveryPort.AcceptSink, true);
        await f.SettleAsync("ready");
        await f.SettleAsync("ready");

        Assert.Equal(RuntimeState.Attached, (await f.Host.GetRuntimeAsync("ready")).State);
        Assert.Equal(InputPhase.Consumed, (await f.Host.GetInputStateAsync("ready", queued.InputId)).Phase);
    }
}
