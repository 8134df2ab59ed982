using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.Observation.BuiltIn.Runtimes;
using Runtime.Server.Services;

namespace Runtime.Server.Tests.Observation;

public sealed class SubscribeTests : IAsyncLifetime
{
    private const string Runtimes = RuntimesObserver.Name;
    private ObservationServer _server = null!;

    public async Task InitializeAsync() => _server = await ObservationServer.StartAsync(historyLimit: 4);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_snapshot_comes_first_then_batches_of_runtime_changes()
    {
        await _server.CreateRuntimeAsync("orders-1", ("team", "a"));
        await _server.CycleAsync();
        using var call = _server.Client.Subscribe(new SubscribeRequest { Observers = { Runtimes }, IncludeSnapshot = true });

        var first = await call.ResponseStream.NextAsync();
        Assert.Equal(SubscribeResponse.MessageOneofCase.Snapshot, first.MessageCase);
        Assert.Equal(_server.CurrentCycle(Runtimes), (long)first.Snapshot.Cycle);
        var row = Assert.Single(first.Snapshot.Runtimes.Runtimes);
        Assert.Equal(("orders-1", RuntimeState.Attached, "a"), (row.RuntimeId, row.State, row.Labels["team"]));

        await _server.CreateRuntimeAsync("orders-2");
        await _server.CycleAsync();

        var next = await call.ResponseStream.NextAsync();
        Assert.Equal(SubscribeResponse.MessageOneofCase.Batch, next.MessageCase);
        Assert.Equal(_server.CurrentCycle(Runtimes), (long)next.Batch.Cycle);
        var created = Assert.Single(next.Batch.Events);
        Assert.Equal(("runtime_created", "orders-2"), (created.Kind, created.Subject));
        Assert.Equal("ATTACHED", created.Attributes["state"].ToUpperInvariant());
    }

    [Fact]
    public async Task Resuming_after_the_last_seen_cycle_loses_nothing_and_repeats_nothing()
    {
        ulong lastSeen;
        using (var first = _server.Client.Subscribe(new SubscribeRequest { Observers = { Runtimes } }))
        {
            await ObservationServer.EventuallyAsync(() => _server.Engine.GetSubscriptionStatistics().Active == 1, "it is attached");
            await _server.CreateRuntimeAsync("r-1");
            await _server.CycleAsync();
            lastSeen = (await first.ResponseStream.NextAsync()).Batch.Cycle;
        }

        // Disconnected while three cycles ran, two of them with changes.
        await _server.CreateRuntimeAsync("r-2");
        await _server.CycleAsync();
        await _server.CycleAsync();
        await _server.CreateRuntimeAsync("r-3");
        await _server.CycleAsync();

        using var resumed = _server.Client.Subscribe(new SubscribeRequest { Observers = { Runtimes }, AfterCycle = lastSeen, IncludeSnapshot = true });
        var a = await resumed.ResponseStream.NextAsync();
        var b = await resumed.ResponseStream.NextAsync();

        Assert.Equal((lastSeen + 1, "r-2"), (a.Batch.Cycle, a.Batch.Events.Single().Subject));
        Assert.Equal((lastSeen + 3, "r-3"), (b.Batch.Cycle, b.Batch.Events.Single().Subject));
        await _server.CreateRuntimeAsync("r-4");
        await _server.CycleAsync();
        Assert.Equal("r-4", (await resumed.ResponseStream.NextAsync()).Batch.Events.Single().Subject);
    }

    [Fact]
    public async Task Resuming_after_a_trimmed_cycle_gets_a_gap_then_a_fresh_snapshot()
    {
        var start = (ulong)_server.CurrentCycle(Runtimes);
        for (var i = 0; i < 6; i++)
        {
            await _server.CreateRuntimeAsync($"t-{i}");
            await _server.CycleAsync();
        }

        using var call = _server.Client.Subscribe(new SubscribeRequest { Observers = { Runtimes }, AfterCycle = start });

        var gap = (await call.ResponseStream.NextAsync()).Gap;
        Assert.Equal((GapReason.Trimmed, Runtimes, start), (gap.Reason, gap.Observer, gap.After));
        var snapshot = (await call.ResponseStream.NextAsync()).Snapshot;
        Assert.Equal(gap.ResumeAt, snapshot.Cycle);
        Assert.Equal(6, snapshot.Runtimes.Runtimes.Count);
    }

    [Fact]
    public async Task Streams_bounded_by_max_messages_or_max_duration_end_with_ok()
    {
        using var counted = _server.Client.Subscribe(new SubscribeRequest { IncludeSnapshot = true, MaxMessages = 2 });
        var messages = await counted.ResponseStream.ToEndAsync();
        Assert.Equal(2, messages.Count);
        Assert.Equal(StatusCode.OK, counted.GetStatus().StatusCode);

        using var timed = _server.Client.Subscribe(new SubscribeRequest
        {
            Observers = { Runtimes }, IncludeSnapshot = true, MaxDuration = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)),
        });
        await timed.ResponseStream.NextAsync();
        _server.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(await timed.ResponseStream.ToEndAsync());
        Assert.Equal(StatusCode.OK, timed.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Cancelling_frees_the_subscription()
    {
        using (var cancel = new CancellationTokenSource())
        {
            using var call = _server.Client.Subscribe(new SubscribeRequest { IncludeSnapshot = true }, cancellationToken: cancel.Token);
            await call.ResponseStream.NextAsync();
            Assert.Equal(1u, (await _server.Client.ListObserversAsync(new ListObserversRequest())).ActiveSubscriptions);
            await cancel.CancelAsync();
        }

        await ObservationServer.EventuallyAsync(() => _server.Engine.GetSubscriptionStatistics().Active == 0, "the subscription is freed");
        var listed = await _server.Client.ListObserversAsync(new ListObserversRequest());
        Assert.Equal(0u, listed.ActiveSubscriptions);
        Assert.All(listed.Observers, o => Assert.Empty(o.Subscriptions));
    }

    [Fact]
    public async Task A_filter_keeps_only_matching_runtimes()
    {
        await _server.CreateRuntimeAsync("orders-1", ("team", "a"));
        await _server.CreateRuntimeAsync("orders-2", ("team", "b"));
        await _server.CreateRuntimeAsync("billing-1", ("team", "a"));
        await _server.CycleAsync();

        using var call = _server.Client.Subscribe(new SubscribeRequest
        {
            Observers = { Runtimes }, IncludeSnapshot = true, Filter = """runtime ^= "orders-" and labels.team == "a" """,
        });

        var rows = (await call.ResponseStream.NextAsync()).Snapshot.Runtimes;
        Assert.Equal("orders-1", Assert.Single(rows.Runtimes).RuntimeId);
        Assert.Equal(1ul, Assert.Single(rows.StateCounts).Count);

        await _server.CreateRuntimeAsync("orders-3", ("team", "b"));
        await _server.CreateRuntimeAsync("orders-4", ("team", "a"));
        await _server.CycleAsync();
        Assert.Equal("orders-4", (await call.ResponseStream.NextAsync()).Batch.Events.Single().Subject);
    }

    [Fact]
    public async Task A_batch_is_encoded_once_for_all_its_subscribers()
    {
        using var one = _server.Client.Subscribe(new SubscribeRequest { Observers = { Runtimes } });
        using var two = _server.Client.Subscribe(new SubscribeRequest { Observers = { Runtimes } });
        await ObservationServer.EventuallyAsync(() => _server.Engine.GetSubscriptionStatistics().Active == 2, "both are attached");

        await _server.CreateRuntimeAsync("shared-1");
        await _server.CycleAsync();

        var a = await one.ResponseStream.NextAsync();
        var b = await two.ResponseStream.NextAsync();
        Assert.Equal(a, b);
        var batch = Assert.Single(_server.Engine.GetHistory(Runtimes, 0, 10).Batches);
        var cached = batch.GetOrAddEncoded<EncodedMessage>(() => throw new InvalidOperationException("encoded again"));
        Assert.Equal(a, SubscribeResponse.Parser.ParseFrom(cached.Bytes));
    }

    [Fact]
    public async Task A_stalled_subscriber_shows_its_lag_and_drops_in_list_observers_and_does_not_delay_others()
    {
        // A domain subscriber that attaches and then never reads: its buffer (4) overflows.
        await using var stalled = _server.Engine.Subscribe(new() { Observers = [Runtimes] }).GetAsyncEnumerator();
        var pending = stalled.MoveNextAsync();
        using var reader = _server.Client.Subscribe(new SubscribeRequest { Observers = { Runtimes } });
        await ObservationServer.EventuallyAsync(() => _server.Engine.GetSubscriptionStatistics().Active == 2, "both are attached");

        for (var i = 0; i < 7; i++)
        {
            await _server.CreateRuntimeAsync($"lag-{i}");
            await _server.CycleAsync();
            Assert.Equal($"lag-{i}", (await reader.ResponseStream.NextAsync()).Batch.Events.Single().Subject);
            if (i == 0)
            {
                // It takes the first batch, then stops reading.
                Assert.True(await pending.AsTask().WaitAsync(ObservationServer.Patience));
            }
        }

        var listed = await _server.Client.ListObserversAsync(new ListObserversRequest());
        var runtimes = listed.Observers.Single(o => o.Name == Runtimes);
        var slow = runtimes.Subscriptions.Single(s => s.Delivered == 1);
        var fast = runtimes.Subscriptions.Single(s => s.Delivered == 7);
        Assert.Equal(2ul, slow.Dropped);
        Assert.True(slow.LagCycles >= 6, $"lag {slow.LagCycles}");
        Assert.Equal(1ul, slow.Overflows);
        Assert.Equal((0ul, 0ul), (fast.LagCycles, fast.Dropped));
        Assert.Equal(4u, slow.Lag);
    }
}
