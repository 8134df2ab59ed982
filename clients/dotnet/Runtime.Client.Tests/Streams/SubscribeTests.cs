using Microsoft.Extensions.DependencyInjection;
using Runtime.Client.Tests.Infrastructure;
using Runtime.Contracts.V1;
using static Runtime.Client.Tests.Infrastructure.Messages;

namespace Runtime.Client.Tests.Streams;

/// <summary>The resilient observation Subscribe stream against a scripted server on real Kestrel.</summary>
public sealed class SubscribeTests : IAsyncLifetime
{
    private FakeRuntimeServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeRuntimeServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_broken_subscription_resumes_after_each_observers_last_cycle_without_asking_for_snapshots_again()
    {
        var subscribe = _server.Observation.Subscriptions;
        var drop = subscribe.ThenSendAndBreak(Snapshot("runtimes", 0), Snapshot("ledger", 2), Batch("runtimes", 1), Batch("ledger", 3));
        subscribe.ThenSendAndEnd(Batch("runtimes", 2));
        await using var services = TestClients.Create(_server.Address);
        var client = services.GetRequiredService<RuntimeClient>();
        await using var stream = new StreamProbe<SubscribeResponse>(client.SubscribeAsync(new SubscribeRequest { IncludeSnapshot = true }));

        var messages = await stream.TakeAsync(4);
        drop.SetResult();
        messages.AddRange(await stream.RestAsync());

        Assert.Equal(5, messages.Count);
        var first = await subscribe.NextRequestAsync();
        var second = await subscribe.NextRequestAsync();
        Assert.True(first.IncludeSnapshot);
        Assert.Empty(first.AfterCycleByObserver);
        Assert.False(second.IncludeSnapshot);
        Assert.Equal(1UL, second.AfterCycleByObserver["runtimes"]);
        Assert.Equal(3UL, second.AfterCycleByObserver["ledger"]);
    }

    [Fact]
    public async Task A_gap_and_the_fresh_snapshot_after_it_reach_the_caller()
    {
        var subscribe = _server.Observation.Subscriptions;
        subscribe.ThenSendAndEnd(ObservationGap("runtimes", after: 4, resumeAt: 9), Snapshot("runtimes", 9), Batch("runtimes", 10));
        await using var services = TestClients.Create(_server.Address);
        var client = services.GetRequiredService<RuntimeClient>();

        var messages = await client.SubscribeAsync(new SubscribeRequest { Observers = { "runtimes" }, AfterCycle = 4 }).ReadAllAsync();

        Assert.Equal(
            [SubscribeResponse.MessageOneofCase.Gap, SubscribeResponse.MessageOneofCase.Snapshot, SubscribeResponse.MessageOneofCase.Batch],
            messages.Select(m => m.MessageCase));
        Assert.Equal(GapReason.Trimmed, messages[0].Gap.Reason);
    }

    [Fact]
    public async Task Max_messages_excludes_heartbeats_and_counts_across_reconnections()
    {
        var subscribe = _server.Observation.Subscriptions;
        var drop = subscribe.ThenSendAndBreak(ObservationHeartbeat(7), Batch("runtimes", 8));
        subscribe.ThenSendAndBreak(ObservationHeartbeat(8), Batch("runtimes", 9), Batch("runtimes", 10));
        await using var services = TestClients.Create(_server.Address);
        var client = services.GetRequiredService<RuntimeClient>();
        await using var stream = new StreamProbe<SubscribeResponse>(
            client.SubscribeAsync(new SubscribeRequest { Observers = { "runtimes" }, MaxMessages = 2 }));

        var messages = await stream.TakeAsync(2);
        drop.SetResult();
        messages.AddRange(await stream.RestAsync());

        Assert.Equal(2, messages.Count(m => m.MessageCase == SubscribeResponse.MessageOneofCase.Batch));
        Assert.Equal(2U, (await subscribe.NextRequestAsync()).MaxMessages);
        var second = await subscribe.NextRequestAsync();
        Assert.Equal(1U, second.MaxMessages);
        Assert.Equal(8UL, second.AfterCycleByObserver["runtimes"]);
    }
}
