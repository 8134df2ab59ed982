using Runtime.Contracts.V1;
using Runtime.Core.Hosting;
using Runtime.SampleSink;
using AbandonReason = Runtime.Core.Inputs.AbandonReason;
using InputPhase = Runtime.Core.Inputs.InputPhase;
using RetryBackoff = Runtime.Core.Policies.RetryBackoff;
using RuntimePolicy = Runtime.Core.Policies.RuntimePolicy;

namespace Runtime.Server.Tests.Transports;

/// <summary>
/// Runtimes in the real server delivering over real wires to the sample sink on loopback: every input ends CONSUMED
/// once in the ledger with a receipt, across sink failures, fallbacks and HTTP retries.
/// </summary>
public sealed class EndToEndDeliveryTests : ServerWithSinkTests
{
    private static readonly RuntimePolicy FastRetries = RuntimePolicy.Default with
    {
        MaxAttempts = 50,
        MaxBatchPerRun = 4,
        RetryBackoff = new RetryBackoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), 2.0),
    };

    [Fact]
    public async Task Inputs_delivered_over_grpc_end_consumed_with_receipts()
    {
        await DefineAsync("sink", (WireKind.Grpc, Sink.GrpcAddress, 0));
        var ids = await RunAsync("r1", "sink", 20);

        await Server.Events.WaitForPhaseAsync("r1", InputPhase.Consumed, ids.Count);

        foreach (var id in ids)
        {
            var state = await Server.Host.GetInputStateAsync("r1", id);
            Assert.Equal(InputPhase.Consumed, state.Phase);
            var receipt = await Server.Host.GetBoundaryReceiptAsync("r1", state.LastRunId, state.LastBoundarySequence);
            Assert.Contains(id, receipt.InputIds);
        }

        var stats = Sink.Ledger.Snapshot().Runtimes["r1"];
        Assert.Equal((20L, 0L), (stats.Unique, stats.Duplicates));
        Assert.Equal(ids, stats.Order);
    }

    [Fact]
    public async Task A_killed_sink_leaves_inputs_queued_and_after_its_restart_each_is_consumed_exactly_once()
    {
        await DefineAsync("sink", (WireKind.Grpc, Sink.GrpcAddress, 0));
        var first = await RunAsync("r1", "sink", 10);
        await Server.Events.WaitForPhaseAsync("r1", InputPhase.Consumed, first.Count);

        var failedMark = Server.Events.Mark();
        await Sink.StopAsync();
        var second = await RunAsync("r1", "sink", 10, offset: 10);
        await Server.Events.WaitForWireAsync("sink", "FAILED", failedMark);
        var wire = Assert.Single((await Client.GetDestinationAsync(new GetDestinationRequest { Name = "sink" })).Destination.Wires);
        // FAILED, or already being re-dialled by the health checker (the sink is still down).
        Assert.Contains(wire.State, new[] { WireState.Failed, WireState.Connecting });
        foreach (var id in second)
        {
            var phase = (await Server.Host.GetInputStateAsync("r1", id)).Phase;
            Assert.True(phase is InputPhase.Queued or InputPhase.Staged or InputPhase.Accepted, $"{id} is {phase}");
        }

        var readyMark = Server.Events.Mark();
        await Sink.RestartAsync();
        var restarted = DateTimeOffset.UtcNow;
        await Server.Events.WaitForWireAsync("sink", "READY", readyMark);
        var reconnect = DateTimeOffset.UtcNow - restarted;
        await Server.Events.WaitForPhaseAsync("r1", InputPhase.Consumed, 20);

        // Two health intervals, plus slack for a loaded test machine (the bound is about scheduling, not the design).
        Assert.True(reconnect < 2 * EndToEndServer.HealthInterval + TimeSpan.FromSeconds(1), $"reconnected after {reconnect}");
        await AssertConsumedExactlyOnceAsync("r1", [.. first, .. second]);
        Assert.Equal(second.Order(StringComparer.Ordinal), Sink.Ledger.Snapshot().Runtimes["r1"].Order.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_fifo_runtime_with_a_failure_mid_stream_reaches_the_sink_in_accept_order()
    {
        await DefineAsync("sink", (WireKind.Grpc, Sink.GrpcAddress, 0));
        Sink.Faults.Update(new FaultSettings { Status = 503, StatusCount = 2 });

        var ids = await RunAsync("r1", "sink", 30);
        await Server.Events.WaitForPhaseAsync("r1", InputPhase.Consumed, ids.Count);

        Assert.Equal(ids, Sink.Ledger.Snapshot().Runtimes["r1"].Order);
        Assert.True(Sink.Ledger.Snapshot().Refused >= 2);
        await AssertConsumedExactlyOnceAsync("r1", ids);
    }

    [Fact]
    public async Task Deliveries_fall_back_to_the_websocket_wire_when_the_grpc_sink_is_down()
    {
        await using var down = await LoopbackSink.StartAsync();
        var downAddress = down.GrpcAddress;
        await down.StopAsync();
        await DefineAsync("sink", (WireKind.Grpc, downAddress, 0), (WireKind.Websocket, Sink.WebSocketAddress, 1));

        var ids = await RunAsync("r1", "sink", 10);
        await Server.Events.WaitForPhaseAsync("r1", InputPhase.Consumed, ids.Count);

        await AssertConsumedExactlyOnceAsync("r1", ids);
        Assert.Equal(1, Sink.Ledger.ConnectionsOpened("websocket"));
        var wires = (await Client.GetDestinationAsync(new GetDestinationRequest { Name = "sink" })).Destination.Wires;
        // The down wire is FAILED, or CONNECTING while the health checker re-dials it: never READY, and it says why.
        Assert.Contains(wires[0].State, new[] { WireState.Failed, WireState.Connecting });
        Assert.NotEmpty(wires[0].LastError);
        Assert.Equal(WireState.Ready, wires[1].State);
    }

    [Fact]
    public async Task Http_503_then_200_is_delivered_on_retry_and_400_is_a_failed_attempt()
    {
        await DefineAsync("hook", (WireKind.Http, Sink.HttpAddress, 0));
        Sink.Faults.Update(new FaultSettings { Status = 503, StatusCount = 1 });
        var retried = await RunAsync("r1", "hook", 1);
        await Server.Events.WaitForPhaseAsync("r1", InputPhase.Consumed, 1);
        Assert.Equal(2, (await Server.Host.GetInputStateAsync("r1", retried[0])).AttemptCount);

        Sink.Faults.Update(new FaultSettings { Status = 400, StatusCount = 1 });
        var refused = await RunAsync("r2", "hook", 1);
        await Server.Events.WaitForPhaseAsync("r2", InputPhase.Abandoned, 1);
        var state = await Server.Host.GetInputStateAsync("r2", refused[0]);
        Assert.Equal((1, AbandonReason.NeverExecuted), (state.AttemptCount, state.AbandonReason));
        Assert.Contains("400", state.LastError, StringComparison.Ordinal);

        var wire = Assert.Single((await Client.GetDestinationAsync(new GetDestinationRequest { Name = "hook" })).Destination.Wires);
        Assert.Equal((1ul, 2ul), (wire.Acked, wire.Failed));
    }

    /// <summary>Creates the runtime if needed and accepts <paramref name="count"/> inputs one by one; returns their ids in accept order.</summary>
    private async Task<List<string>> RunAsync(string runtimeId, string destination, int count, int offset = 0)
    {
        await Server.Host.CreateRuntimeAsync(new RuntimeSpec { RuntimeId = runtimeId, Destination = destination, Policy = FastRetries });
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var accepted = await Server.Host.AcceptInputAsync(runtimeId, new InputSubmission
            {
                Kind = "order",
                Payload = BitConverter.GetBytes(offset + i),
                IdempotencyKey = $"{runtimeId}-{offset + i}",
            });
            ids.Add(accepted.InputId);
        }

        return ids;
    }

    private async Task AssertConsumedExactlyOnceAsync(string runtimeId, IReadOnlyList<string> ids)
    {
        foreach (var id in ids)
        {
            var state = await Server.Host.GetInputStateAsync(runtimeId, id);
            Assert.Equal(InputPhase.Consumed, state.Phase);
            Assert.Single(state.History, t => t.To == InputPhase.Consumed);
        }

        var info = await Server.Host.GetRuntimeAsync(runtimeId);
        Assert.Equal(ids.Count, info.PhaseCounts[InputPhase.Consumed]);
        Assert.Equal(0, info.PhaseCounts[InputPhase.Abandoned]);
    }
}
