using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Runtime.Contracts.V1;
using Runtime.Observation.BuiltIn.Ledger;
using Runtime.Observation.BuiltIn.Runtimes;
using Runtime.Observation.BuiltIn.Transports;
using Runtime.Server.Hosting;

namespace Runtime.Server.Tests.Observation;

public sealed class ObservationQueryTests : IAsyncLifetime
{
    private ObservationServer _server = null!;

    public async Task InitializeAsync() => _server = await ObservationServer.StartAsync(historyLimit: 4);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task List_observers_names_the_three_built_in_observers_with_their_settings()
    {
        var listed = await _server.Client.ListObserversAsync(new ListObserversRequest());

        Assert.Equal([LedgerObserver.Name, RuntimesObserver.Name, TransportsObserver.Name], listed.Observers.Select(o => o.Name));
        Assert.All(listed.Observers, o =>
        {
            Assert.Equal(Duration.FromTimeSpan(ObservationServer.Interval), o.Interval);
            Assert.Equal(4u, o.HistoryLimit);
            Assert.NotEmpty(o.Description);
            Assert.Null(o.LastFailure);
            Assert.Equal(o.FirstCycle, o.CurrentCycle);
        });
        Assert.Contains("runtime.v1.ObservationService", HostingExtensions.ServedServiceNames);
    }

    [Fact]
    public async Task Reflection_describes_the_observation_service()
    {
        using var call = new Grpc.Reflection.V1.ServerReflection.ServerReflectionClient(_server.Channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new Grpc.Reflection.V1.ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();

        var listed = await call.ResponseStream.NextAsync();

        Assert.Contains("runtime.v1.ObservationService", listed.ListServicesResponse.Service.Select(s => s.Name));
    }

    [Fact]
    public async Task Snapshots_show_runtimes_their_destinations_and_the_ledger()
    {
        await _server.CreateRuntimeAsync("snap-1", ("team", "a"));
        await _server.CreateRuntimeAsync("snap-2", ("team", "b"));
        var orders = new CreateDestinationRequest { Name = "orders" };
        orders.Wires.Add(new Wire { Kind = WireKind.Inproc, Address = "accept", Priority = 2 });
        await new TransportService.TransportServiceClient(_server.Channel).CreateDestinationAsync(orders);
        await _server.CycleAsync();

        var runtimes = (await _server.Client.GetSnapshotAsync(new GetSnapshotRequest { Observer = RuntimesObserver.Name })).Snapshot;
        var filtered = (await _server.Client.GetSnapshotAsync(new GetSnapshotRequest { Observer = RuntimesObserver.Name, Filter = "labels.team == \"b\"" })).Snapshot;
        var transports = (await _server.Client.GetSnapshotAsync(new GetSnapshotRequest { Observer = TransportsObserver.Name })).Snapshot;
        var ledger = (await _server.Client.GetSnapshotAsync(new GetSnapshotRequest { Observer = LedgerObserver.Name })).Snapshot;

        Assert.Equal(["snap-1", "snap-2"], runtimes.Runtimes.Runtimes.Select(r => r.RuntimeId));
        Assert.Equal(2ul, runtimes.Runtimes.StateCounts.Aggregate(0ul, (sum, c) => sum + c.Count));
        Assert.Equal("snap-2", Assert.Single(filtered.Runtimes.Runtimes).RuntimeId);

        // The transport manager's destinations (built-in inproc: sinks are not among them); wires dial on first send.
        var destination = Assert.Single(transports.Transports.Destinations);
        Assert.Equal("orders", destination.Name);
        var wire = Assert.Single(destination.Wires);
        Assert.Equal((WireKind.Inproc, "accept", 2, Runtime.Contracts.V1.WireState.Idle), (wire.Wire.Kind, wire.Wire.Address, wire.Wire.Priority, wire.State));
        Assert.Equal(Snapshot.DataOneofCase.Ledger, ledger.DataCase);
    }

    [Fact]
    public async Task History_returns_the_batches_after_a_cycle_and_says_when_some_were_trimmed()
    {
        var start = (ulong)_server.CurrentCycle(RuntimesObserver.Name);
        for (var i = 0; i < 6; i++)
        {
            await _server.CreateRuntimeAsync($"h-{i}");
            await _server.CycleAsync();
        }

        var recent = await _server.Client.GetHistoryAsync(new GetHistoryRequest { Observer = RuntimesObserver.Name, AfterCycle = start + 4 });
        var trimmed = await _server.Client.GetHistoryAsync(new GetHistoryRequest { Observer = RuntimesObserver.Name, AfterCycle = start, PageSize = 2 });

        Assert.False(recent.Truncated);
        Assert.Equal([start + 5, start + 6], recent.Batches.Select(b => b.Cycle));
        Assert.True(trimmed.Truncated);
        Assert.Equal((GapReason.Trimmed, start), (trimmed.Gap.Reason, trimmed.Gap.After));
        Assert.Equal([start + 3, start + 4], trimmed.Batches.Select(b => b.Cycle));
        Assert.Equal(start + 6, trimmed.CurrentCycle);
    }

    [Theory]
    [InlineData("GetSnapshot", "observer")]
    [InlineData("GetHistory", "observer")]
    [InlineData("GetSnapshotFilter", "filter")]
    [InlineData("SubscribeFilter", "filter")]
    [InlineData("SubscribeDuration", "max_duration")]
    [InlineData("SubscribeResume", "after_cycle_by_observer")]
    public async Task Malformed_requests_are_invalid_argument_naming_the_field(string call, string field)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => call switch
        {
            "GetSnapshot" => _server.Client.GetSnapshotAsync(new GetSnapshotRequest()).ResponseAsync,
            "GetHistory" => _server.Client.GetHistoryAsync(new GetHistoryRequest()).ResponseAsync,
            "GetSnapshotFilter" => _server.Client.GetSnapshotAsync(new GetSnapshotRequest { Observer = "runtimes", Filter = "runtime = \"x\"" }).ResponseAsync,
            "SubscribeFilter" => FirstAsync(new SubscribeRequest { Filter = "labels.a" }),
            "SubscribeDuration" => FirstAsync(new SubscribeRequest { MaxDuration = new Duration { Seconds = -1 } }),
            _ => FirstAsync(new SubscribeRequest { Observers = { "runtimes" }, AfterCycleByObserver = { ["ledger"] = 1 } }),
        });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var status = error.GetRpcStatus()!;
        Assert.Equal("runtime", Assert.Single(status.Details, d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>().Domain);
        var badRequest = Assert.Single(status.Details, d => d.Is(BadRequest.Descriptor)).Unpack<BadRequest>();
        Assert.Contains(badRequest.FieldViolations, v => v.Field == field);
    }

    [Fact]
    public async Task Unknown_observers_are_not_found()
    {
        var snapshot = await Assert.ThrowsAsync<RpcException>(() => _server.Client.GetSnapshotAsync(new GetSnapshotRequest { Observer = "nope" }).ResponseAsync);
        var subscribe = await Assert.ThrowsAsync<RpcException>(() => FirstAsync(new SubscribeRequest { Observers = { "runtimes", "nope" } }));

        foreach (var error in new[] { snapshot, subscribe })
        {
            Assert.Equal(StatusCode.NotFound, error.StatusCode);
            var info = error.GetRpcStatus()!.Details.Single(d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>();
            Assert.Equal(("OBSERVER_NOT_FOUND", "nope"), (info.Reason, info.Metadata["observer"]));
        }
    }

    [Fact]
    public async Task Open_streams_end_with_unavailable_when_the_server_shuts_down()
    {
        using var call = _server.Client.Subscribe(new SubscribeRequest { IncludeSnapshot = true });
        await call.ResponseStream.NextAsync();

        // Shutdown begins (ApplicationStopping fires) while the server still carries responses: the open stream must
        // end with its clear status then, not be cut off later when the host finally stops.
        _server.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.ToEndAsync());
        await _server.StopAsync().WaitAsync(ObservationServer.Patience);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("SERVER_SHUTTING_DOWN", error.GetRpcStatus()!.Details.Single(d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>().Reason);
    }

    [Fact]
    public async Task Cycles_continue_across_a_restart_and_an_old_cycle_gets_a_restarted_gap()
    {
        await _server.CreateRuntimeAsync("before-restart");
        await _server.CycleAsync();
        var seen = (ulong)_server.CurrentCycle(RuntimesObserver.Name);
        await _server.StopAsync();

        await using var restarted = await ObservationServer.StartAsync(_server.DataDirectory, _server.Time);
        var listed = await restarted.Client.ListObserversAsync(new ListObserversRequest());
        Assert.All(listed.Observers, o => Assert.True(o.FirstCycle > seen, $"{o.Name} starts at {o.FirstCycle}"));

        using var call = restarted.Client.Subscribe(new SubscribeRequest { Observers = { RuntimesObserver.Name }, AfterCycle = seen });
        var gap = (await call.ResponseStream.NextAsync()).Gap;
        var snapshot = (await call.ResponseStream.NextAsync()).Snapshot;
        Assert.Equal((GapReason.Restarted, seen), (gap.Reason, gap.After));
        Assert.Equal(gap.ResumeAt, snapshot.Cycle);
        Assert.Equal("before-restart", Assert.Single(snapshot.Runtimes.Runtimes).RuntimeId);
    }

    private async Task FirstAsync(SubscribeRequest request)
    {
        using var call = _server.Client.Subscribe(request);
        await call.ResponseStream.MoveNext().WaitAsync(ObservationServer.Patience);
    }
}
