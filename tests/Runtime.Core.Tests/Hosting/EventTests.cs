using Runtime.Core.Events;
using Runtime.Core.Inputs;
using Runtime.Core.Runtimes;
using Runtime.Core.Tests.Support;

namespace Runtime.Core.Tests.Hosting;

public sealed class EventTests
{
    [Fact]
    public async Task One_delivered_input_publishes_its_transitions_and_its_run_in_order()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt");
        var accepted = await f.Host.AcceptInputAsync("rt", HostFixture.Input("hello"));
        await f.SettleAsync("rt");

        var events = f.Events.Published.Where(e => e.RuntimeId == "rt").ToList();
        Assert.Equal(RuntimeEventKind.RuntimeCreated, events[0].Kind);
        Assert.Equal(
            [InputPhase.Accepted, InputPhase.Queued, InputPhase.Staged, InputPhase.Applied, InputPhase.Consumed],
            events.Where(e => e.InputId == accepted.InputId && e.Kind == RuntimeEventKind.InputTransitioned).Select(e => e.ToPhase!.Value));
        var run = events.Where(e => e.Kind is RuntimeEventKind.RunStarted or RuntimeEventKind.RunCompleted).ToList();
        Assert.Equal([RuntimeEventKind.RunStarted, RuntimeEventKind.RunCompleted], run.Select(e => e.Kind));
        Assert.Equal(run[0].RunId, run[1].RunId);
        Assert.Equal(
            [RuntimeState.Idle, RuntimeState.Attached, RuntimeState.Running, RuntimeState.Attached],
            events.Where(e => e.Kind == RuntimeEventKind.RuntimeStateChanged).Select(e => e.ToState!.Value));
        var consumed = events.Single(e => e.ToPhase == InputPhase.Consumed);
        Assert.Equal(5, consumed.Bytes);
        Assert.NotNull(consumed.Latency);
    }

    [Fact]
    public async Task A_switched_off_category_publishes_nothing()
    {
        await using var f = await HostFixture.StartAsync();
        f.Events.Disabled.Add(EventCategory.InputLifecycle);
        f.Events.Disabled.Add(EventCategory.RunLifecycle);
        await f.CreateAsync("rt");

        await f.Host.AcceptInputAsync("rt", HostFixture.Input("hello"));
        await f.SettleAsync("rt");

        Assert.DoesNotContain(f.Events.Published, e => e.Category is EventCategory.InputLifecycle or EventCategory.RunLifecycle);
        Assert.Contains(f.Events.Published, e => e.Kind == RuntimeEventKind.RuntimeCreated);
    }
}
