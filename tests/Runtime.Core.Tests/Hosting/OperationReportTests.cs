using Runtime.Core.Errors;
using Runtime.Core.Hosting;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;
using Runtime.Core.Runtimes;
using Runtime.Core.Tests.Support;

namespace Runtime.Core.Tests.Hosting;

/// <summary>Lifecycle reports (previous state, no-op), quarantined runtimes' way out, and multi-value list filters.</summary>
public sealed class OperationReportTests
{
    [Fact]
    public async Task Every_report_names_the_previous_state_and_repeats_are_no_ops()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "");
        await f.Host.AcceptInputAsync("rt", HostFixture.Input("a"));

        var recover = await f.Host.RecoverRuntimeAsync("rt");
        var recycle = await f.Host.RecycleRuntimeAsync("rt");
        var reset = await f.Host.ResetRuntimeAsync("rt");
        var resetAgain = await f.Host.ResetRuntimeAsync("rt");
        var retire = await f.Host.RetireRuntimeAsync("rt");
        var retireAgain = await f.Host.RetireRuntimeAsync("rt");
        var destroy = await f.Host.DestroyRuntimeAsync("rt");
        var destroyAgain = await f.Host.DestroyRuntimeAsync("rt");

        Assert.Equal((RuntimeState.Idle, RuntimeState.Idle), (recover.PreviousState, recover.State));
        Assert.Equal((RuntimeState.Idle, RuntimeState.Idle), (recycle.PreviousState, recycle.State));
        Assert.Equal((RuntimeState.Idle, false, 1), (reset.PreviousState, reset.NoOp, reset.InputsAbandoned));
        Assert.Equal((RuntimeState.Idle, true, 0), (resetAgain.PreviousState, resetAgain.NoOp, resetAgain.InputsAbandoned));
        Assert.Equal((RuntimeState.Idle, RuntimeState.Stopped, false), (retire.PreviousState, retire.State, retire.NoOp));
        Assert.Equal((RuntimeState.Stopped, RuntimeState.Stopped, true), (retireAgain.PreviousState, retireAgain.State, retireAgain.NoOp));
        Assert.Equal((RuntimeState.Stopped, false), (destroy.PreviousState, destroy.NoOp));
        Assert.Equal((RuntimeState.Destroyed, true, 0), (destroyAgain.PreviousState, destroyAgain.NoOp, destroyAgain.InputsAbandoned));
    }

    [Fact]
    public async Task Startup_recovery_reports_the_state_the_ledger_held()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "");
        await f.Host.AcceptInputAsync("rt", HostFixture.Input("a"));
        await f.RestartAsync();
        f.Execute("UPDATE runtimes SET state = 3 WHERE id = 'rt'"); // caught RUNNING by a crash

        await f.RestartAsync();

        var report = Assert.Single(f.Host.StartupRecoveries);
        Assert.Equal((RuntimeState.Running, RuntimeState.Idle), (report.PreviousState, report.State));
    }

    [Fact]
    public async Task A_quarantined_runtime_can_be_destroyed_and_stays_consistent_after_a_restart()
    {
        await using var f = await HostFixture.StartAsync();
        var input = await CorruptAsync(f);
        Assert.True((await f.Host.GetRuntimeAsync("bad")).Quarantined);

        var report = await f.Host.DestroyRuntimeAsync("bad");
        var again = await f.Host.DestroyRuntimeAsync("bad");
        await f.RestartAsync();

        Assert.Equal((RuntimeState.Idle, false, 2), (report.PreviousState, report.NoOp, report.InputsAbandoned));
        Assert.True(again.NoOp);
        var info = await f.Host.GetRuntimeAsync("bad");
        Assert.False(info.Quarantined);
        Assert.Equal(RuntimeState.Destroyed, info.State);
        Assert.Equal(2, info.PhaseCounts[InputPhase.Abandoned]);
        Assert.Equal(0, info.PhaseCounts[InputPhase.Applied]); // the corrupt count was recounted from the inputs
        var state = await f.Host.GetInputStateAsync("bad", input);
        Assert.Equal((InputPhase.Abandoned, AbandonReason.Destroyed), (state.Phase, state.AbandonReason));
        Assert.Equal(0, f.Count("SELECT count(*) FROM runs WHERE status < 2"));
    }

    [Fact]
    public async Task Resetting_a_quarantined_runtime_abandons_its_inputs_lifts_the_quarantine_and_keeps_dedup()
    {
        await using var f = await HostFixture.StartAsync();
        await CorruptAsync(f);
        var refused = await f.Host.AcceptInputAsync("bad", HostFixture.Input("c"));

        var report = await f.Host.ResetRuntimeAsync("bad");
        var dedup = await f.Host.AcceptInputAsync("bad", HostFixture.Input("a", key: "k-a"));
        var fresh = await f.Host.AcceptInputAsync("bad", HostFixture.Input("d"));
        await f.RestartAsync();

        Assert.Equal("RUNTIME_QUARANTINED", refused.Reason);
        Assert.Equal((RuntimeState.Idle, RuntimeState.Idle, false, 2), (report.PreviousState, report.State, report.NoOp, report.InputsAbandoned));
        Assert.Equal(AcceptOutcome.Deduplicated, dedup.Outcome);
        Assert.Equal(AcceptOutcome.Accepted, fresh.Outcome);
        var info = await f.Host.GetRuntimeAsync("bad");
        Assert.False(info.Quarantined);
        Assert.Equal(1, info.QueueDepth);
        Assert.Equal(2, info.PhaseCounts[InputPhase.Abandoned]);
    }

    [Fact]
    public async Task Recovering_a_quarantined_runtime_still_refuses_a_ledger_that_contradicts_itself()
    {
        await using var f = await HostFixture.StartAsync();
        await CorruptAsync(f);

        var error = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.RecoverRuntimeAsync("bad"));

        Assert.Equal((ErrorKind.FailedPrecondition, "RECOVERY_CORRUPTION"), (error.Kind, error.Reason));
        Assert.True((await f.Host.GetRuntimeAsync("bad")).Quarantined);
    }

    [Fact]
    public async Task List_runtimes_matches_any_of_several_states_across_pages()
    {
        await using var f = await HostFixture.StartAsync();
        for (var i = 0; i < 6; i++)
        {
            await f.CreateAsync($"rt-{i}", destination: "");
        }

        await f.Host.RetireRuntimeAsync("rt-1"); // STOPPED
        await f.Host.DestroyRuntimeAsync("rt-2");
        await f.Host.RetireRuntimeAsync("rt-4");
        await f.Host.DestroyRuntimeAsync("rt-5");

        var query = new RuntimeQuery { States = [RuntimeState.Destroyed, RuntimeState.Stopped, RuntimeState.Stopped], PageSize = 3 };
        var first = await f.Host.ListRuntimesAsync(query);
        var second = await f.Host.ListRuntimesAsync(query with { PageToken = first.NextPageToken });
        var idle = await f.Host.ListRuntimesAsync(new RuntimeQuery { States = [RuntimeState.Idle] });
        var unknown = await Assert.ThrowsAsync<RuntimeException>(() =>
            f.Host.ListRuntimesAsync(new RuntimeQuery { States = [RuntimeState.Idle, (RuntimeState)42] }));

        Assert.Equal(["rt-1", "rt-2", "rt-4"], first.Runtimes.Select(r => r.RuntimeId));
        Assert.Equal(["rt-5"], second.Runtimes.Select(r => r.RuntimeId));
        Assert.Equal("", second.NextPageToken);
        Assert.Equal(["rt-0", "rt-3"], idle.Runtimes.Select(r => r.RuntimeId));
        Assert.Equal("states", Assert.Single(unknown.Violations).Field);
    }

    [Fact]
    public async Task List_inputs_matches_any_of_several_phases_across_pages_in_accept_order()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "");
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            // Every third input is consumed on accept; the others wait in the queue.
            var consume = i % 3 == 0 ? ConsumePoint.OnAccept : (ConsumePoint?)null;
            ids.Add((await f.Host.AcceptInputAsync("rt", HostFixture.Input($"{i}") with { ConsumePoint = consume })).InputId);
        }

        var both = new InputQuery { RuntimeId = "rt", Phases = [InputPhase.Consumed, InputPhase.Queued], PageSize = 4 };
        var first = await f.Host.ListInputsAsync(both);
        var second = await f.Host.ListInputsAsync(both with { PageToken = first.NextPageToken });
        var consumed = await f.Host.ListInputsAsync(new InputQuery { RuntimeId = "rt", Phases = [InputPhase.Consumed], PageSize = 2 });
        var none = await f.Host.ListInputsAsync(new InputQuery { RuntimeId = "rt", Phases = [InputPhase.Staged, InputPhase.Abandoned] });

        Assert.Equal(ids.Take(4), first.Inputs.Select(i => i.InputId));
        Assert.Equal(ids.Skip(4), second.Inputs.Select(i => i.InputId));
        Assert.Equal("", second.NextPageToken);
        Assert.Equal([ids[0], ids[3]], consumed.Inputs.Select(i => i.InputId));
        Assert.NotEqual("", consumed.NextPageToken);
        Assert.Empty(none.Inputs);
    }

    /// <summary>
    /// Runtime "bad" with a queued input and an APPLIED one whose boundary receipt does not exist (a ledger that
    /// contradicts itself), an open run, and a row whose counts say so: quarantined at the next start. Returns the
    /// applied input's id.
    /// </summary>
    private static async Task<string> CorruptAsync(HostFixture f)
    {
        await f.CreateAsync("bad", destination: "");
        var applied = await f.Host.AcceptInputAsync("bad", HostFixture.Input("a", key: "k-a"));
        await f.Host.AcceptInputAsync("bad", HostFixture.Input("b"));
        await f.RestartAsync();
        f.SetStoredState("bad", applied.InputId, InputPhase.Applied, attempts: 1, lastRunId: "r1", lastBoundary: 7);
        f.Execute("UPDATE runtimes SET counts = '0,1,0,1,0,0,0,0,0' WHERE id = 'bad'");
        f.StoreOpenRun("bad", "r1", applied.InputId);
        await f.RestartAsync();
        return applied.InputId;
    }
}
