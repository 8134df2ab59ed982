using Runtime.Core.Delivery;
using Runtime.Core.Errors;
using Runtime.Core.Hosting;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;
using Runtime.Core.Runtimes;
using Runtime.Core.Tests.Support;

namespace Runtime.Core.Tests.Hosting;

public sealed class LifecycleTests
{
    /// <summary>A sink that holds every run until the test releases it.</summary>
    private static Func<TaskCompletionSource<DeliveryResult>> Gate(HostFixture f, string name)
    {
        var gate = new TaskCompletionSource<DeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Port.Register(name, async (_, token) => await gate.Task.WaitAsync(token));
        return () => gate;
    }

    private static async Task<string> WaitForRunAsync(HostFixture f, string runtimeId)
    {
        for (var i = 0; i < 500; i++)
        {
            if ((await f.Host.GetRuntimeStateAsync(runtimeId)).CurrentRunId is { } runId)
            {
                return runId;
            }

            await Task.Yield();
        }

        throw new InvalidOperationException("no run started");
    }

    [Fact]
    public async Task Create_is_idempotent_for_the_same_spec_and_already_exists_otherwise()
    {
        await using var f = await HostFixture.StartAsync();
        var labels = new Dictionary<string, string> { ["team"] = "a" };
        var first = await f.CreateAsync("rt", labels: labels);
        var again = await f.CreateAsync("rt", labels: new Dictionary<string, string> { ["team"] = "a" });
        var other = await Assert.ThrowsAsync<RuntimeException>(() => f.CreateAsync("rt", labels: new() { ["team"] = "b" }));
        var badPolicy = await Assert.ThrowsAsync<RuntimeException>(() =>
            f.CreateAsync("rt2", policy: RuntimePolicy.Default with { MaxAttempts = 0, MaxBatchPerRun = 0 }));

        Assert.Equal(first.CreatedAt, again.CreatedAt);
        Assert.Equal(ErrorKind.AlreadyExists, other.Kind);
        Assert.Equal("RUNTIME_ALREADY_EXISTS", other.Reason);
        Assert.Equal(["policy.max_attempts", "policy.max_batch_per_run"], badPolicy.Violations.Select(v => v.Field).Order());
        Assert.Equal(1, f.Count("SELECT count(*) FROM runtimes"));
    }

    [Fact]
    public async Task List_filters_by_state_label_and_prefix_and_pages()
    {
        await using var f = await HostFixture.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await f.CreateAsync($"app-{i}", destination: "", labels: new() { ["tier"] = i % 2 == 0 ? "gold" : "free" });
        }

        await f.CreateAsync("other", destination: "");
        await f.Host.RetireRuntimeAsync("app-4");

        var page1 = await f.Host.ListRuntimesAsync(new RuntimeQuery { IdPrefix = "app-", PageSize = 2 });
        var page2 = await f.Host.ListRuntimesAsync(new RuntimeQuery { IdPrefix = "app-", PageSize = 2, PageToken = page1.NextPageToken });
        var page3 = await f.Host.ListRuntimesAsync(new RuntimeQuery { IdPrefix = "app-", PageSize = 2, PageToken = page2.NextPageToken });
        var gold = await f.Host.ListRuntimesAsync(new RuntimeQuery { Labels = new Dictionary<string, string> { ["tier"] = "gold" } });
        var stopped = await f.Host.ListRuntimesAsync(new RuntimeQuery { States = [RuntimeState.Stopped] });
        var badToken = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.ListRuntimesAsync(new RuntimeQuery { PageToken = "garbage!" }));

        Assert.Equal(["app-0", "app-1"], page1.Runtimes.Select(r => r.RuntimeId));
        Assert.Equal(["app-2", "app-3"], page2.Runtimes.Select(r => r.RuntimeId));
        Assert.Equal(["app-4"], page3.Runtimes.Select(r => r.RuntimeId));
        Assert.Equal("", page3.NextPageToken);
        Assert.Equal(["app-0", "app-2", "app-4"], gold.Runtimes.Select(r => r.RuntimeId));
        Assert.Equal(["app-4"], stopped.Runtimes.Select(r => r.RuntimeId));
        Assert.Equal("page_token", Assert.Single(badToken.Violations).Field);
    }

    [Fact]
    public async Task List_inputs_by_phase_pages_in_accept_order()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "", policy: RuntimePolicy.Default with { ConsumePoint = ConsumePoint.OnApply });
        var accepted = await f.Host.AcceptInputsAsync("rt", Enumerable.Range(0, 5).Select(i => HostFixture.Input($"{i}")).ToList());
        await f.Host.AcceptInputAsync("rt", HostFixture.Input("record") with { ConsumePoint = ConsumePoint.OnAccept });

        var first = await f.Host.ListInputsAsync(new InputQuery { RuntimeId = "rt", Phases = [InputPhase.Queued], PageSize = 3 });
        var second = await f.Host.ListInputsAsync(new InputQuery { RuntimeId = "rt", Phases = [InputPhase.Queued], PageSize = 3, PageToken = first.NextPageToken });
        var consumed = await f.Host.ListInputsAsync(new InputQuery { RuntimeId = "rt", Phases = [InputPhase.Consumed] });

        Assert.Equal(accepted.Take(3).Select(a => a.InputId), first.Inputs.Select(i => i.InputId));
        Assert.Equal(accepted.Skip(3).Select(a => a.InputId), second.Inputs.Select(i => i.InputId));
        Assert.Equal("", second.NextPageToken);
        Assert.Equal("record", System.Text.Encoding.UTF8.GetString(Assert.Single(consumed.Inputs).Payload.Span));
    }

    [Fact]
    public async Task Retire_rejects_new_input_drains_then_stops_and_is_idempotent()
    {
        await using var f = await HostFixture.StartAsync();
        var gate = Gate(f, "inproc:gate");
        await f.CreateAsync("rt", destination: "inproc:gate", policy: RuntimePolicy.Default with { MaxBatchPerRun = 1 });
        await f.Host.AcceptInputsAsync("rt", [HostFixture.Input("a"), HostFixture.Input("b")]);
        await WaitForRunAsync(f, "rt");

        var report = await f.Host.RetireRuntimeAsync("rt");
        var rejected = await f.Host.AcceptInputAsync("rt", HostFixture.Input("late"));
        gate().SetResult(DeliveryResult.Acked);
        await RetryTests.WaitUntil(f, "rt", async () => (await f.Host.GetRuntimeAsync("rt")).State == RuntimeState.Stopped);
        var again = await f.Host.RetireRuntimeAsync("rt");
        var stopped = await f.Host.AcceptInputAsync("rt", HostFixture.Input("later"));

        Assert.Equal(RuntimeState.Retired, report.State);
        Assert.Equal(0, report.InputsAbandoned);
        Assert.Equal(2, report.InputsPendingDrain);
        Assert.Equal(AcceptOutcome.Rejected, rejected.Outcome);
        Assert.Equal("RUNTIME_RETIRED", rejected.Reason);
        Assert.Equal(2, (await f.Host.GetRuntimeAsync("rt")).PhaseCounts[InputPhase.Consumed]);
        Assert.Equal(RuntimeState.Stopped, again.State);
        Assert.Equal("RUNTIME_STOPPED", stopped.Reason);
        var states = f.Events.Published.Where(e => e.RuntimeId == "rt" && e.ToState is not null).Select(e => e.ToState!.Value).ToList();
        Assert.Equal(RuntimeState.Stopped, states[^1]);
        Assert.Contains(RuntimeState.Retired, states);
    }

    [Fact]
    public async Task Retire_without_a_destination_abandons_the_queue_as_retired()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "");
        var accepted = await f.Host.AcceptInputAsync("rt", HostFixture.Input("a"));

        var report = await f.Host.RetireRuntimeAsync("rt");

        Assert.Equal(1, report.InputsAbandoned);
        Assert.Equal(RuntimeState.Stopped, report.State);
        Assert.Equal(AbandonReason.Retired, (await f.Host.GetInputStateAsync("rt", accepted.InputId)).AbandonReason);
    }

    [Fact]
    public async Task Reset_is_refused_while_a_run_is_in_flight_then_abandons_everything()
    {
        await using var f = await HostFixture.StartAsync();
        var gate = Gate(f, "inproc:gate");
        await f.CreateAsync("rt", destination: "inproc:gate", policy: RuntimePolicy.Default with { MaxBatchPerRun = 1 });
        var accepted = await f.Host.AcceptInputsAsync("rt", [HostFixture.Input("a"), HostFixture.Input("b")]);
        var runId = await WaitForRunAsync(f, "rt");

        var refused = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.ResetRuntimeAsync("rt"));
        await f.Host.BindDestinationAsync("rt", "");
        gate().SetResult(new DeliveryResult(DeliveryStatus.RetryableFailure, "x"));
        await f.SettleAsync("rt");
        var report = await f.Host.ResetRuntimeAsync("rt");

        Assert.Equal(ErrorKind.FailedPrecondition, refused.Kind);
        Assert.Equal("RUN_IN_FLIGHT", refused.Reason);
        Assert.Equal(runId, refused.Metadata["run_id"]);
        Assert.Equal(2, report.InputsAbandoned);
        Assert.Equal(RuntimeState.Idle, report.State);
        Assert.All(accepted, a => Assert.Equal(AbandonReason.Reset, f.Host.GetInputStateAsync("rt", a.InputId).Result.AbandonReason));
    }

    [Fact]
    public async Task Reset_of_a_retired_runtime_is_an_invalid_transition()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "");
        await f.Host.RetireRuntimeAsync("rt");

        var error = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.ResetRuntimeAsync("rt"));

        Assert.Equal("INVALID_RUNTIME_TRANSITION", error.Reason);
        Assert.Equal("Stopped", error.Metadata["from"]);
        Assert.Equal("Idle", error.Metadata["to"]);
    }

    [Fact]
    public async Task Destroy_abandons_everything_is_terminal_and_idempotent()
    {
        await using var f = await HostFixture.StartAsync();
        var gate = Gate(f, "inproc:gate");
        await f.CreateAsync("rt", destination: "inproc:gate", policy: RuntimePolicy.Default with { MaxBatchPerRun = 1 });
        await f.Host.AcceptInputsAsync("rt", [HostFixture.Input("a"), HostFixture.Input("b")]);
        await WaitForRunAsync(f, "rt");

        var report = await f.Host.DestroyRuntimeAsync("rt");
        gate().SetResult(DeliveryResult.Acked);
        var again = await f.Host.DestroyRuntimeAsync("rt");
        var rejected = await f.Host.AcceptInputAsync("rt", HostFixture.Input("c"));
        var recreate = await Assert.ThrowsAsync<RuntimeException>(() => f.CreateAsync("rt", destination: "inproc:gate",
            policy: RuntimePolicy.Default with { MaxBatchPerRun = 1 }));
        var recover = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.RecoverRuntimeAsync("rt"));

        Assert.Equal(2, report.InputsAbandoned);
        Assert.Equal(0, again.InputsAbandoned);
        Assert.Equal("RUNTIME_DESTROYED", rejected.Reason);
        Assert.Equal("RUNTIME_DESTROYED", recreate.Reason);
        Assert.Equal("INVALID_RUNTIME_TRANSITION", recover.Reason);
        var info = await f.Host.GetRuntimeAsync("rt");
        Assert.Equal(RuntimeState.Destroyed, info.State);
        Assert.Equal(2, info.PhaseCounts[InputPhase.Abandoned]);
        Assert.Equal(2, f.Count("SELECT count(*) FROM input_states WHERE abandon_reason = 4"));
        Assert.Contains(f.Events.Published, e => e.Kind == Events.RuntimeEventKind.RuntimeDestroyed && e.RuntimeId == "rt");
    }

    [Fact]
    public async Task Recycle_takes_a_new_owner_epoch_and_requeues_in_flight_inputs()
    {
        await using var f = await HostFixture.StartAsync();
        Gate(f, "inproc:gate");
        await f.CreateAsync("rt", destination: "inproc:gate", policy: RuntimePolicy.Default with { MaxBatchPerRun = 2 });
        await f.Host.AcceptInputsAsync("rt", [HostFixture.Input("a"), HostFixture.Input("b"), HostFixture.Input("c")]);
        await WaitForRunAsync(f, "rt");
        var before = await f.Host.GetRuntimeAsync("rt");
        await f.Host.BindDestinationAsync("rt", "");

        var report = await f.Host.RecycleRuntimeAsync("rt");

        Assert.Equal(3, report.InputsTransferred);
        Assert.Equal(2, report.InputsRequeued);
        Assert.True(report.OwnerEpoch > before.OwnerEpoch);
        Assert.Equal(RuntimeState.Idle, report.State);
        Assert.Equal(3, (await f.Host.GetRuntimeAsync("rt")).QueueDepth);
        Assert.Equal(1, f.Count("SELECT count(*) FROM runs WHERE status = 4"));
    }

    [Fact]
    public async Task Recover_applies_the_replay_rules()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", policy: RuntimePolicy.Default with { ConsumePoint = ConsumePoint.ExplicitAck });
        var pending = await f.Host.AcceptInputAsync("rt", HostFixture.Input("applied"));
        await f.SettleAsync("rt");
        await f.Host.BindDestinationAsync("rt", "");
        var queued = await f.Host.AcceptInputAsync("rt", HostFixture.Input("queued"));
        Assert.Equal(InputPhase.AppliedPendingConsumption, (await f.Host.GetInputStateAsync("rt", pending.InputId)).Phase);

        var report = await f.Host.RecoverRuntimeAsync("rt");

        Assert.Equal(2, report.InputsRecovered);
        Assert.Equal(1, report.InputsConsumed);
        Assert.Equal(RuntimeState.Idle, report.State);
        var applied = await f.Host.GetInputStateAsync("rt", pending.InputId);
        Assert.Equal(InputPhase.Consumed, applied.Phase);
        Assert.Equal(1, applied.RecoveryCount);
        Assert.Equal(InputPhase.Queued, (await f.Host.GetInputStateAsync("rt", queued.InputId)).Phase);
        var states = f.Events.Published.Where(e => e.RuntimeId == "rt" && e.ToState is not null).Select(e => e.ToState!.Value).ToList();
        Assert.Equal([RuntimeState.Recovering, RuntimeState.Idle], states[^2..]);
    }

    [Fact]
    public async Task Restart_requeues_staged_inputs_and_resumes_delivery()
    {
        await using var f = await HostFixture.StartAsync();
        Gate(f, "inproc:gate");
        await f.CreateAsync("rt", destination: "inproc:gate");
        var accepted = await f.Host.AcceptInputAsync("rt", HostFixture.Input("a"));
        await WaitForRunAsync(f, "rt");
        Assert.Equal(RuntimeState.Running, (await f.Host.GetRuntimeAsync("rt")).State);
        f.Port.Register("inproc:gate", (_, _) => ValueTask.FromResult(DeliveryResult.Acked));

        await f.RestartAsync();
        await RetryTests.WaitForPhase(f, "rt", accepted.InputId, InputPhase.Consumed);

        var state = await f.Host.GetInputStateAsync("rt", accepted.InputId);
        Assert.Equal(1, state.RecoveryCount);
        Assert.Equal(2, state.AttemptCount);
        Assert.Contains(f.Host.StartupRecoveries, r => r.RuntimeId == "rt");
        Assert.Equal(RuntimeState.Attached, (await f.Host.GetRuntimeAsync("rt")).State);
    }

    [Fact]
    public async Task A_contradicting_ledger_quarantines_its_runtime_and_the_others_keep_working()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("bad", destination: "");
        await f.CreateAsync("good", destination: "");
        var input = await f.Host.AcceptInputAsync("bad", HostFixture.Input("a"));
        await f.Host.AcceptInputAsync("good", HostFixture.Input("a"));
        await f.RestartAsync();
        // An APPLIED input whose boundary receipt does not exist: the ledger contradicts itself.
        f.SetStoredState("bad", input.InputId, InputPhase.Applied, attempts: 1, lastRunId: "r1", lastBoundary: 7);
        f.Execute("UPDATE runtimes SET counts = '0,0,0,1,0,0,0,0,0' WHERE id = 'bad'");

        await f.RestartAsync();
        var info = await f.Host.GetRuntimeAsync("bad");
        var rejected = await f.Host.AcceptInputAsync("bad", HostFixture.Input("b"));
        var recover = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.RecoverRuntimeAsync("bad"));
        var good = await f.Host.AcceptInputAsync("good", HostFixture.Input("b"));

        Assert.True(info.Quarantined);
        Assert.Contains("receipt 7", info.QuarantineReason, StringComparison.Ordinal);
        Assert.Equal("RUNTIME_QUARANTINED", rejected.Reason);
        Assert.Equal("RECOVERY_CORRUPTION", recover.Reason);
        Assert.Equal(AcceptOutcome.Accepted, good.Outcome);
        Assert.Equal(1, f.StoredInputCount("bad"));

        // Once the ledger is repaired, recover lifts the quarantine.
        f.SetStoredState("bad", input.InputId, InputPhase.Queued);
        f.Execute("UPDATE runtimes SET counts = '0,1,0,0,0,0,0,0,0' WHERE id = 'bad'");
        var repaired = await f.Host.RecoverRuntimeAsync("bad");
        Assert.Equal(RuntimeState.Idle, repaired.State);
        Assert.False((await f.Host.GetRuntimeAsync("bad")).Quarantined);
    }

    [Fact]
    public async Task Idle_runtimes_unload_and_load_again_on_demand()
    {
        await using var f = await HostFixture.StartAsync(new RuntimeHostOptions { IdleDeactivationDelay = TimeSpan.FromSeconds(5) });
        await f.CreateAsync("rt");
        await f.Host.AcceptInputAsync("rt", HostFixture.Input("a"));
        await f.SettleAsync("rt");
        Assert.Equal(1, f.Host.LoadedRuntimes);

        var loop = f.Host.LoadedActorLoop("rt");
        f.Time.Advance(TimeSpan.FromSeconds(5));
        await loop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, f.Host.LoadedRuntimes);
        var epoch = (await f.Host.GetRuntimeAsync("rt")).OwnerEpoch;
        var again = await f.Host.AcceptInputAsync("rt", HostFixture.Input("b"));
        Assert.Equal(AcceptOutcome.Accepted, again.Outcome);
        Assert.Equal(epoch + 1, (await f.Host.GetRuntimeAsync("rt")).OwnerEpoch);
        await f.Host.DeactivateAsync("rt");
    }

    [Fact]
    public async Task Busy_runtimes_stay_loaded_and_unload_only_after_a_quiet_delay()
    {
        await using var f = await HostFixture.StartAsync(new RuntimeHostOptions { IdleDeactivationDelay = TimeSpan.FromSeconds(10) });
        await f.CreateAsync("rt", destination: "", policy: RuntimePolicy.Default with { ConsumePoint = ConsumePoint.OnAccept });
        for (var i = 0; i < 3; i++)
        {
            await f.Host.AcceptInputAsync("rt", HostFixture.Input($"{i}"));
            f.Time.Advance(TimeSpan.FromSeconds(6));
            await f.SettleAsync("rt");
            Assert.Equal(1, f.Host.LoadedRuntimes);
        }

        var loop = f.Host.LoadedActorLoop("rt");
        f.Time.Advance(TimeSpan.FromSeconds(4));
        await loop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, f.Host.LoadedRuntimes);
    }

    [Fact]
    public async Task Recovery_requeues_accepted_inputs_and_abandons_staged_ones_without_attempts_left()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "", policy: RuntimePolicy.Default with { MaxAttempts = 2 });
        var accepted = await f.Host.AcceptInputsAsync("rt", [HostFixture.Input("a"), HostFixture.Input("b"), HostFixture.Input("c")]);
        await f.RestartAsync();
        // As a crash could leave them: one ACCEPTED, one STAGED with attempts left, one STAGED with none left.
        f.SetStoredState("rt", accepted[0].InputId, InputPhase.Accepted);
        f.SetStoredState("rt", accepted[1].InputId, InputPhase.Staged, attempts: 1, lastRunId: "run-1");
        f.SetStoredState("rt", accepted[2].InputId, InputPhase.Staged, attempts: 2, lastRunId: "run-1");
        f.Execute("UPDATE runtimes SET counts = '1,0,2,0,0,0,0,0,0', state = 3 WHERE id = 'rt'");

        await f.RestartAsync();

        var report = Assert.Single(f.Host.StartupRecoveries);
        Assert.Equal(RuntimeState.Idle, report.State);
        Assert.Equal((3, 2, 1), (report.InputsRecovered, report.InputsRequeued, report.InputsAbandoned));
        var states = await Task.WhenAll(accepted.Select(a => f.Host.GetInputStateAsync("rt", a.InputId)));
        Assert.Equal([InputPhase.Queued, InputPhase.Queued, InputPhase.Abandoned], states.Select(s => s.Phase));
        Assert.Equal(AbandonReason.MaxAttemptsExhausted, states[2].AbandonReason);
        Assert.All(states, s => Assert.Equal(1, s.RecoveryCount));
        var info = await f.Host.GetRuntimeAsync("rt");
        Assert.Equal(2, info.QueueDepth);
        Assert.Equal(RuntimeState.Idle, info.State);
    }

    [Fact]
    public async Task A_newer_owner_fences_this_instance_off_and_the_next_request_reloads()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "");
        var first = await f.Host.AcceptInputAsync("rt", HostFixture.Input("a", key: "k1"));
        // Another instance (for example on another node) claims the runtime and appends.
        f.Execute("UPDATE runtimes SET owner_epoch = owner_epoch + 5 WHERE id = 'rt'");

        var fenced = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.AcceptInputAsync("rt", HostFixture.Input("b")));
        var after = await f.Host.AcceptInputAsync("rt", HostFixture.Input("c"));
        var dedup = await f.Host.AcceptInputAsync("rt", HostFixture.Input("a", key: "k1"));

        Assert.Equal(ErrorKind.Aborted, fenced.Kind);
        Assert.Equal("LEDGER_FENCED", fenced.Reason);
        Assert.Equal(AcceptOutcome.Accepted, after.Outcome);
        Assert.Equal(first.InputId, dedup.InputId);
        Assert.Equal(2, f.StoredInputCount());
        Assert.Equal(2, (await f.Host.GetRuntimeAsync("rt")).QueueDepth);
    }

    [Fact]
    public async Task Create_stays_idempotent_across_a_restart()
    {
        await using var f = await HostFixture.StartAsync();
        var policy = RuntimePolicy.Default with
        {
            QueueMode = QueueMode.Priority,
            ConsumePoint = ConsumePoint.ExplicitAck,
            MaxBatchPerRun = 7,
            RetryBackoff = new RetryBackoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(90), 1.5),
        };
        var created = await f.CreateAsync("rt", policy: policy, labels: new() { ["team"] = "a", ["env"] = "prod" });

        await f.RestartAsync();
        var again = await f.CreateAsync("rt", policy: policy, labels: new() { ["env"] = "prod", ["team"] = "a" });

        Assert.Equal(created.CreatedAt, again.CreatedAt);
        Assert.Equal(policy, again.Policy);
    }
}
