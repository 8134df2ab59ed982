using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Runtime.Client.Errors;
using Runtime.Client.Tests.Infrastructure;
using Runtime.Contracts.V1;
using static Runtime.Client.Tests.Infrastructure.Messages;

namespace Runtime.Client.Tests.Streams;

/// <summary>The resilient WatchRuntimeEvents stream against a scripted server on real Kestrel.</summary>
public sealed class WatchRuntimeEventsTests : IAsyncLifetime
{
    private FakeRuntimeServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeRuntimeServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_broken_stream_reconnects_and_resumes_after_the_last_sequence_delivered()
    {
        var watch = _server.ControlPlane.Watch;
        var drop = watch.ThenSendAndBreak(Events(1, 2));
        watch.ThenSendAndEnd(Events(3));
        await using var services = TestClients.Create(_server.Address);
        var client = services.GetRequiredService<RuntimeClient>();
        await using var stream = new StreamProbe<WatchRuntimeEventsResponse>(
            client.WatchRuntimeEventsAsync(new WatchRuntimeEventsRequest { RuntimeIds = { "orders" } }));

        var beforeBreak = await stream.TakeAsync(1);
        drop.SetResult();
        var afterBreak = await stream.RestAsync();

        Assert.Equal([1UL, 2UL, 3UL], beforeBreak.Concat(afterBreak).SelectMany(m => m.Events.Events).Select(e => e.Sequence));
        var first = await watch.NextRequestAsync();
        var second = await watch.NextRequestAsync();
        Assert.False(first.HasAfterSequence);
        Assert.Equal(2UL, second.AfterSequence);
        Assert.Equal(["orders"], second.RuntimeIds);
    }

    [Fact]
    public async Task Gaps_reach_the_caller_and_resuming_starts_after_the_hole()
    {
        var watch = _server.ControlPlane.Watch;
        var drop = watch.ThenSendAndBreak(EventGap(after: 5, resumeAt: 10));
        watch.ThenSendAndEnd(Events(10));
        await using var services = TestClients.Create(_server.Address);
        var client = services.GetRequiredService<RuntimeClient>();
        await using var stream = new StreamProbe<WatchRuntimeEventsResponse>(
            client.WatchRuntimeEventsAsync(new WatchRuntimeEventsRequest { AfterSequence = 5 }));

        var messages = await stream.TakeAsync(1);
        drop.SetResult();
        messages.AddRange(await stream.RestAsync());

        Assert.Equal(WatchRuntimeEventsResponse.MessageOneofCase.Gap, messages[0].MessageCase);
        Assert.Equal(10UL, messages[0].Gap.ResumeAt);
        Assert.Equal(10UL, messages[1].Events.Events.Single().Sequence);
        Assert.Equal(5UL, (await watch.NextRequestAsync()).AfterSequence);
        Assert.Equal(9UL, (await watch.NextRequestAsync()).AfterSequence);
    }

    [Fact]
    public async Task Heartbeats_advance_the_resume_point()
    {
        var watch = _server.ControlPlane.Watch;
        var drop = watch.ThenSendAndBreak(EventHeartbeat(position: 41));
        watch.ThenSendAndEnd(Events(42));
        await using var services = TestClients.Create(_server.Address);
        var client = services.GetRequiredService<RuntimeClient>();
        await using var stream = new StreamProbe<WatchRuntimeEventsResponse>(client.WatchRuntimeEventsAsync(new WatchRuntimeEventsRequest()));

        var messages = await stream.TakeAsync(1);
        drop.SetResult();
        messages.AddRange(await stream.RestAsync());

        Assert.Equal(2, messages.Count);
        await watch.NextRequestAsync();
        Assert.Equal(41UL, (await watch.NextRequestAsync()).AfterSequence);
    }

    [Fact]
    public async Task Max_events_counts_across_reconnections_and_the_stream_ends_once_it_is_reached()
    {
        var watch = _server.ControlPlane.Watch;
        var drop = watch.ThenSendAndBreak(Events(1, 2));
        // The last connection never ends by itself: the client must stop on its own once the limit is reached.
        watch.ThenSendAndBreak(Events(3), Events(4));
        await using var services = TestClients.Create(_server.Address);
        var client = services.GetRequiredService<RuntimeClient>();
        await using var stream = new StreamProbe<WatchRuntimeEventsResponse>(
            client.WatchRuntimeEventsAsync(new WatchRuntimeEventsRequest { MaxEvents = 3 }));

        var messages = await stream.TakeAsync(1);
        drop.SetResult();
        messages.AddRange(await stream.RestAsync());

        Assert.Equal(3, messages.Sum(m => m.Events.Events.Count));
        Assert.Equal(3U, (await watch.NextRequestAsync()).MaxEvents);
        Assert.Equal(1U, (await watch.NextRequestAsync()).MaxEvents);
    }

    [Fact]
    public async Task A_non_transient_failure_ends_the_stream_with_a_typed_error_and_no_retry()
    {
        var watch = _server.ControlPlane.Watch;
        watch.ThenFail(Scripts.RichError(StatusCode.InvalidArgument, "FILTER_INVALID", "bad filter", ("filter", "unexpected token ')'")));
        await using var services = TestClients.Create(_server.Address);
        var client = services.GetRequiredService<RuntimeClient>();

        var error = await Assert.ThrowsAsync<RuntimeClientException>(() =>
            client.WatchRuntimeEventsAsync(new WatchRuntimeEventsRequest { Filter = "(" }).ReadAllAsync());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("FILTER_INVALID", error.Reason);
        Assert.Equal("filter", error.FieldViolations.Single().Field);
        await watch.NextRequestAsync();
        Assert.False(watch.HasUnreadRequest);
    }

    [Fact]
    public async Task Failed_connection_attempts_back_off_exponentially_on_the_clock()
    {
        var time = new SignallingTimeProvider();
        var watch = _server.ControlPlane.Watch;
        watch.ThenFail(new RpcException(new Status(StatusCode.Unavailable, "starting")));
        watch.ThenFail(new RpcException(new Status(StatusCode.Unavailable, "starting")));
        watch.ThenSendAndEnd(Events(1));
        await using var services = TestClients.Create(_server.Address, time, o =>
        {
            o.Reconnect.InitialDelay = TimeSpan.FromSeconds(1);
            o.Reconnect.MaxDelay = TimeSpan.FromSeconds(30);
        });
        var client = services.GetRequiredService<RuntimeClient>();

        var reading = client.WatchRuntimeEventsAsync(new WatchRuntimeEventsRequest()).ReadAllAsync();

        await watch.NextRequestAsync();
        Assert.Equal(TimeSpan.FromSeconds(1), await time.NextTimerAsync());
        Assert.False(watch.HasUnreadRequest);
        time.Clock.Advance(TimeSpan.FromSeconds(1));
        await watch.NextRequestAsync();
        Assert.Equal(TimeSpan.FromSeconds(2), await time.NextTimerAsync());
        time.Clock.Advance(TimeSpan.FromSeconds(2));
        await watch.NextRequestAsync();
        Assert.Single((await reading).Single().Events.Events);
    }

    [Fact]
    public async Task Giving_up_after_max_attempts_throws_the_last_failure()
    {
        var watch = _server.ControlPlane.Watch;
        watch.ThenFail(new RpcException(new Status(StatusCode.Unavailable, "down")));
        watch.ThenFail(Scripts.RichError(StatusCode.Unavailable, "SERVER_SHUTTING_DOWN", "stopping"));
        await using var services = TestClients.Create(_server.Address, configure: o => o.Reconnect.MaxAttempts = 1);
        var client = services.GetRequiredService<RuntimeClient>();

        var error = await Assert.ThrowsAsync<RuntimeClientException>(() =>
            client.WatchRuntimeEventsAsync(new WatchRuntimeEventsRequest()).ReadAllAsync());

        Assert.Equal("SERVER_SHUTTING_DOWN", error.Reason);
    }

    [Fact]
    public async Task Cancelling_the_enumeration_stops_it_with_operation_cancelled()
    {
        var watch = _server.ControlPlane.Watch;
        watch.Then(async (_, writer, context) =>
        {
            await writer.WriteAsync(Events(1));
            await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken);
        });
        await using var services = TestClients.Create(_server.Address);
        var client = services.GetRequiredService<RuntimeClient>();
        using var cts = new CancellationTokenSource();

        var received = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var message in client.WatchRuntimeEventsAsync(new WatchRuntimeEventsRequest(), cts.Token))
            {
                received++;
                await cts.CancelAsync();
            }
        });

        Assert.Equal(1, received);
    }
}
