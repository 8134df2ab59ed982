using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Runtime.Client.Inputs;
using Runtime.Client.Tests.Infrastructure;
using Runtime.Contracts.V1;

namespace Runtime.Client.Tests.Inputs;

/// <summary>Waiting for an input to finish: woken by events, polling where events are not available.</summary>
public sealed class WaitForInputTests : IAsyncLifetime
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);
    private FakeRuntimeServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeRuntimeServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_event_about_the_input_wakes_the_wait_before_the_poll_interval()
    {
        // The fake clock never advances, so only the event can wake the second read.
        var time = new SignallingTimeProvider();
        var sendEvent = new TaskCompletionSource();
        _server.ControlPlane.Watch.Then(async (_, writer, context) =>
        {
            await sendEvent.Task.WaitAsync(context.CancellationToken);
            await writer.WriteAsync(Messages.InputEvent(1, "in-1", InputPhase.Consumed));
            await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken);
        });
        await using var services = TestClients.Create(_server.Address, time, o => o.InputPollInterval = PollInterval);
        var client = services.GetRequiredService<RuntimeClient>();

        var waiting = client.WaitForInputAsync("orders", "in-1");
        var watchRequest = await _server.ControlPlane.Watch.NextRequestAsync();
        Assert.Equal(PollInterval, await time.NextTimerAsync());
        _server.Driver.MoveTo(InputPhase.Consumed);
        sendEvent.SetResult();

        var state = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(InputPhase.Consumed, state.Phase);
        Assert.Equal(["orders"], watchRequest.RuntimeIds);
        Assert.Equal([RuntimeEventKind.InputTransitioned], watchRequest.Kinds);
    }

    [Fact]
    public async Task Without_events_it_polls_at_the_interval()
    {
        var time = new SignallingTimeProvider();
        _server.ControlPlane.Watch.ThenFail(new RpcException(new Status(StatusCode.PermissionDenied, "needs observe scope")));
        await using var services = TestClients.Create(_server.Address, time, o => o.InputPollInterval = PollInterval);
        var client = services.GetRequiredService<RuntimeClient>();

        var waiting = client.WaitForInputAsync("orders", "in-1", s => s.Phase == InputPhase.Applied);
        Assert.Equal(PollInterval, await time.NextTimerAsync());
        _server.Driver.MoveTo(InputPhase.Staged);
        time.Clock.Advance(PollInterval);
        Assert.Equal(PollInterval, await time.NextTimerAsync());
        _server.Driver.MoveTo(InputPhase.Applied);
        time.Clock.Advance(PollInterval);

        var state = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(InputPhase.Applied, state.Phase);
        Assert.Equal(3, _server.Driver.Reads);
    }

    [Theory]
    [InlineData(InputPhase.Consumed, true)]
    [InlineData(InputPhase.Superseded, true)]
    [InlineData(InputPhase.Coalesced, true)]
    [InlineData(InputPhase.Abandoned, true)]
    [InlineData(InputPhase.Accepted, false)]
    [InlineData(InputPhase.Queued, false)]
    [InlineData(InputPhase.Staged, false)]
    [InlineData(InputPhase.Applied, false)]
    [InlineData(InputPhase.AppliedPendingConsumption, false)]
    public void Terminal_phases_are_the_ones_an_input_never_leaves(InputPhase phase, bool terminal) =>
        Assert.Equal(terminal, phase.IsTerminal());
}
