using Runtime.Core.Delivery;
using Runtime.Core.Errors;
using Runtime.Core.Hosting;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;
using Runtime.Core.Runtimes;
using Runtime.Core.Tests.Support;

namespace Runtime.Core.Tests.Hosting;

public sealed class AcceptTests
{
    private static readonly RuntimePolicy Hold = RuntimePolicy.Default;

    [Fact]
    public async Task Accepted_input_is_on_disk_when_the_answer_arrives()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt-1", destination: "");

        var result = await f.Host.AcceptInputAsync("rt-1", HostFixture.Input("hello"));

        Assert.Equal(AcceptOutcome.Accepted, result.Outcome);
        Assert.Equal(InputPhase.Queued, result.Phase);
        Assert.True(Guid.TryParse(result.InputId, out var id));
        Assert.Equal(7, id.Version);
        Assert.Equal(1, f.StoredInputCount());
        Assert.Equal(InputPhase.Queued, (await f.Host.GetInputStateAsync("rt-1", result.InputId)).Phase);
        var info = await f.Host.GetRuntimeAsync("rt-1");
        Assert.Equal(1, info.QueueDepth);
        Assert.Equal(RuntimeState.Idle, info.State);
    }

    [Fact]
    public async Task Same_key_and_payload_is_deduplicated_and_a_different_payload_is_refused()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "");
        var first = await f.Host.AcceptInputAsync("rt", HostFixture.Input("a", key: "k1"));

        var again = await f.Host.AcceptInputAsync("rt", HostFixture.Input("a", key: "k1"));
        var error = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.AcceptInputAsync("rt", HostFixture.Input("b", key: "k1")));
        var otherKind = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.AcceptInputAsync("rt", HostFixture.Input("a", key: "k1", kind: "other")));

        Assert.Equal(AcceptOutcome.Deduplicated, again.Outcome);
        Assert.Equal(first.InputId, again.InputId);
        Assert.Equal(first.InputId, again.ExistingInputId);
        Assert.Equal(InputPhase.Queued, again.Phase);
        Assert.Equal(ErrorKind.AlreadyExists, error.Kind);
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", error.Reason);
        Assert.Equal(first.InputId, error.Metadata["existing_input_id"]);
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", otherKind.Reason);
        Assert.Equal(1, f.StoredInputCount());
    }

    [Fact]
    public async Task Dedup_survives_restart_reset_and_recover()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "");
        var first = await f.Host.AcceptInputAsync("rt", HostFixture.Input("a", key: "k"));

        await f.RestartAsync();
        var afterRestart = await f.Host.AcceptInputAsync("rt", HostFixture.Input("a", key: "k"));
        await f.Host.ResetRuntimeAsync("rt");
        var afterReset = await f.Host.AcceptInputAsync("rt", HostFixture.Input("a", key: "k"));
        await f.Host.RecoverRuntimeAsync("rt");
        var afterRecover = await f.Host.AcceptInputAsync("rt", HostFixture.Input("a", key: "k"));
        var reused = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.AcceptInputAsync("rt", HostFixture.Input("z", key: "k")));

        Assert.All([afterRestart, afterReset, afterRecover], r =>
        {
            Assert.Equal(AcceptOutcome.Deduplicated, r.Outcome);
            Assert.Equal(first.InputId, r.InputId);
        });
        Assert.Equal(InputPhase.Queued, afterRestart.Phase);
        Assert.Equal(InputPhase.Abandoned, afterReset.Phase);
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", reused.Reason);
        Assert.Equal(1, f.StoredInputCount());
    }

    [Fact]
    public async Task Repeated_keys_inside_one_batch_deduplicate_against_each_other()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "", policy: Hold with { ConsumePoint = ConsumePoint.OnAccept });

        var results = await f.Host.AcceptInputsAsync("rt",
            [HostFixture.Input("a", key: "k"), HostFixture.Input("a", key: "k"), HostFixture.Input("b", key: "k")]);

        Assert.Equal(AcceptOutcome.Accepted, results[0].Outcome);
        Assert.Equal(InputPhase.Consumed, results[0].Phase);
        Assert.Equal(AcceptOutcome.Deduplicated, results[1].Outcome);
        Assert.Equal(results[0].InputId, results[1].InputId);
        Assert.Equal(AcceptOutcome.Rejected, results[2].Outcome);
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", results[2].Failure!.Reason);
        Assert.Equal(1, f.StoredInputCount());
    }

    [Fact]
    public async Task Client_chosen_ids_are_kept_validated_and_not_reused()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "");

        var given = await f.Host.AcceptInputAsync("rt", HostFixture.Input("a") with { InputId = "order-42" });
        var same = await f.Host.AcceptInputAsync("rt", HostFixture.Input("a") with { InputId = "order-42" });
        var clash = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.AcceptInputAsync("rt", HostFixture.Input("b") with { InputId = "order-42" }));
        var bad = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.AcceptInputAsync("rt", HostFixture.Input("b") with { InputId = "no spaces" }));

        Assert.Equal("order-42", given.InputId);
        Assert.Equal(AcceptOutcome.Deduplicated, same.Outcome);
        Assert.Equal("INPUT_ALREADY_EXISTS", clash.Reason);
        Assert.Equal(ErrorKind.InvalidArgument, bad.Kind);
        Assert.Equal("input.input_id", Assert.Single(bad.Violations).Field);
    }

    [Fact]
    public async Task Invalid_inputs_name_their_fields_and_write_nothing()
    {
        await using var f = await HostFixture.StartAsync(new RuntimeHostOptions
        {
            Limits = new RuntimeLimits { MaxPayloadBytes = 8, MaxHeaders = 1, MaxKeyLength = 4 },
        });
        await f.CreateAsync("rt", destination: "");
        var before = f.Count("SELECT ledger_seq FROM runtimes");

        var error = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.AcceptInputAsync("rt", new InputSubmission
        {
            Payload = new byte[9],
            IdempotencyKey = "too-long",
            Headers = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" },
            PayloadType = (PayloadType)99,
        }));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("INVALID_FIELD", error.Reason);
        Assert.Equal(
            ["input.headers", "input.idempotency_key", "input.payload", "input.payload_type"],
            error.Violations.Select(v => v.Field).Order().ToArray());
        Assert.Equal(0, f.StoredInputCount());
        Assert.Equal(before, f.Count("SELECT ledger_seq FROM runtimes"));
    }

    [Fact]
    public async Task A_bad_input_in_a_batch_fails_alone()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("rt", destination: "");

        var results = await f.Host.AcceptInputsAsync("rt",
            [HostFixture.Input("a"), HostFixture.Input("b") with { InputId = "bad id" }, HostFixture.Input("c")]);

        Assert.Equal([AcceptOutcome.Accepted, AcceptOutcome.Rejected, AcceptOutcome.Accepted], results.Select(r => r.Outcome));
        Assert.Equal("input.input_id", Assert.Single(results[1].Failure!.Violations).Field);
        Assert.Equal(2, f.StoredInputCount());
    }

    [Fact]
    public async Task Unknown_runtime_is_not_found_and_bad_runtime_id_is_invalid()
    {
        await using var f = await HostFixture.StartAsync();

        var missing = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.AcceptInputAsync("nope", HostFixture.Input("a")));
        var invalid = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.AcceptInputAsync("white space", HostFixture.Input("a")));
        var tooLong = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.GetRuntimeAsync(new string('x', 129)));

        Assert.Equal(ErrorKind.NotFound, missing.Kind);
        Assert.Equal("RUNTIME_NOT_FOUND", missing.Reason);
        Assert.Equal("nope", missing.Metadata["runtime_id"]);
        Assert.Equal("runtime_id", Assert.Single(invalid.Violations).Field);
        Assert.Equal("INVALID_RUNTIME_ID", tooLong.Reason);
        Assert.Equal(0, f.Count("SELECT count(*) FROM runtimes"));
    }

    [Fact]
    public async Task Queue_quota_is_resource_exhausted()
    {
        await using var f = await HostFixture.StartAsync(new RuntimeHostOptions { Limits = new RuntimeLimits { MaxQueuedInputsPerRuntime = 2 } });
        await f.CreateAsync("rt", destination: "");
        await f.Host.AcceptInputsAsync("rt", [HostFixture.Input("a"), HostFixture.Input("b")]);

        var error = await Assert.ThrowsAsync<RuntimeException>(() => f.Host.AcceptInputAsync("rt", HostFixture.Input("c")));

        Assert.Equal(ErrorKind.ResourceExhausted, error.Kind);
        Assert.Equal("RUNTIME_QUEUE_FULL", error.Reason);
        Assert.Equal("2", error.Metadata["limit"]);
    }

    [Fact]
    public async Task Concurrent_accepts_all_land_once()
    {
        await using var f = await HostFixture.StartAsync();
        await f.CreateAsync("a", destination: "");
        await f.CreateAsync("b", destination: "");

        var tasks = Enumerable.Range(0, 200).Select(i =>
            f.Host.AcceptInputAsync(i % 2 == 0 ? "a" : "b", HostFixture.Input($"p{i}", key: $"k{i}"))).ToList();
        var results = await Task.WhenAll(tasks);

        Assert.All(results, r => Assert.Equal(AcceptOutcome.Accepted, r.Outcome));
        Assert.Equal(200, results.Select(r => r.InputId).Distinct().Count());
        Assert.Equal(200, f.StoredInputCount());
        Assert.Equal(100, (await f.Host.GetRuntimeAsync("a")).QueueDepth);
    }
}
