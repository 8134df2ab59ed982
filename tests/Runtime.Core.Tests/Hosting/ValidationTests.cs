using Runtime.Core.Errors;
using Runtime.Core.Hosting;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;
using Runtime.Core.Tests.Support;

namespace Runtime.Core.Tests.Hosting;

public sealed class ValidationTests
{
    public static TheoryData<string, string> BadCalls() => new()
    {
        { "create: id", "runtime_id" },
        { "create: labels", "labels[bad key]" },
        { "create: backoff", "policy.retry_backoff.multiplier" },
        { "create: destination", "destination" },
        { "get: id", "runtime_id" },
        { "state: id", "runtime_id" },
        { "list: page size", "page_size" },
        { "list: token", "page_token" },
        { "list: selector", "label_selector[bad key]" },
        { "bind: destination", "destination" },
        { "accept: kind", "input.kind" },
        { "accept: max attempts", "input.max_attempts" },
        { "accept: consume point", "input.consume_point" },
        { "batch: size", "inputs" },
        { "input state: input id", "input_id" },
        { "list inputs: token", "page_token" },
        { "list inputs: phase", "phases" },
        { "receipt: run id", "run_id" },
        { "receipt: sequence", "sequence" },
        { "publish: run id", "run_id" },
        { "publish: input ids", "input_ids" },
        { "retire: id", "runtime_id" },
        { "recycle: id", "runtime_id" },
        { "reset: id", "runtime_id" },
        { "recover: id", "runtime_id" },
        { "destroy: id", "runtime_id" },
    };

    [Theory]
    [MemberData(nameof(BadCalls))]
    public async Task Bad_requests_are_invalid_argument_naming_the_field_and_write_nothing(string call, string field)
    {
        await using var f = await HostFixture.StartAsync(new RuntimeHostOptions { Limits = new RuntimeLimits { MaxAcceptBatch = 2 } });
        await f.CreateAsync("rt", destination: "");
        var sequence = f.Count("SELECT ledger_seq FROM runtimes");
        var h = f.Host;

        var error = await Assert.ThrowsAsync<RuntimeException>(() => call switch
        {
            "create: id" => h.CreateRuntimeAsync(new RuntimeSpec { RuntimeId = "" }),
            "create: labels" => h.CreateRuntimeAsync(new RuntimeSpec { RuntimeId = "x", Labels = new Dictionary<string, string> { ["bad key"] = "v" } }),
            "create: backoff" => h.CreateRuntimeAsync(new RuntimeSpec { RuntimeId = "x", Policy = RuntimePolicy.Default with { RetryBackoff = new RetryBackoff(TimeSpan.Zero, TimeSpan.Zero, 0.5) } }),
            "create: destination" => h.CreateRuntimeAsync(new RuntimeSpec { RuntimeId = "x", Destination = "a\nb" }),
            "get: id" => h.GetRuntimeAsync("a b"),
            "state: id" => h.GetRuntimeStateAsync("a/b"),
            "list: page size" => h.ListRuntimesAsync(new RuntimeQuery { PageSize = -1 }),
            "list: token" => h.ListRuntimesAsync(new RuntimeQuery { PageToken = "aW5wdXQ" }),
            "list: selector" => h.ListRuntimesAsync(new RuntimeQuery { Labels = new Dictionary<string, string> { ["bad key"] = "v" } }),
            "bind: destination" => h.BindDestinationAsync("rt", new string('d', 300)),
            "accept: kind" => h.AcceptInputAsync("rt", new InputSubmission { Kind = "tab\there" }),
            "accept: max attempts" => h.AcceptInputAsync("rt", new InputSubmission { MaxAttempts = 0 }),
            "accept: consume point" => h.AcceptInputAsync("rt", new InputSubmission { ConsumePoint = (ConsumePoint)42 }),
            "batch: size" => h.AcceptInputsAsync("rt", [new InputSubmission(), new InputSubmission(), new InputSubmission()]),
            "input state: input id" => h.GetInputStateAsync("rt", "no such/id"),
            "list inputs: token" => h.ListInputsAsync(new InputQuery { RuntimeId = "rt", PageToken = "%%%" }),
            "list inputs: phase" => h.ListInputsAsync(new InputQuery { RuntimeId = "rt", Phases = [(InputPhase)77] }),
            "receipt: run id" => h.GetBoundaryReceiptAsync("rt", "", 1),
            "receipt: sequence" => h.GetBoundaryReceiptAsync("rt", "run", 0),
            "publish: run id" => h.PublishEventAsync("rt", new ExternalEvent { Kind = ExternalEventKind.RunCompleted }),
            "publish: input ids" => h.PublishEventAsync("rt", new ExternalEvent { Kind = ExternalEventKind.InputsAcked }),
            "retire: id" => h.RetireRuntimeAsync(""),
            "recycle: id" => h.RecycleRuntimeAsync("?"),
            "reset: id" => h.ResetRuntimeAsync(new string('r', 129)),
            "recover: id" => h.RecoverRuntimeAsync("a b"),
            "destroy: id" => h.DestroyRuntimeAsync("*"),
            _ => throw new ArgumentOutOfRangeException(nameof(call)),
        });

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(error.Violations, v => v.Field == field);
        Assert.Equal(1, f.Count("SELECT count(*) FROM runtimes"));
        Assert.Equal(sequence, f.Count("SELECT ledger_seq FROM runtimes"));
        Assert.Equal(0, f.StoredInputCount());
    }
}
