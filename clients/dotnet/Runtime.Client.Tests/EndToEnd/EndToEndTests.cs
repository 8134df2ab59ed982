using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Runtime.Client.Errors;
using Runtime.Client.Tests.Infrastructure;
using Runtime.Contracts.V1;

namespace Runtime.Client.Tests.EndToEnd;

/// <summary>
/// The README's example against the real server: a runtime bound to the built-in <c>inproc:accept</c> destination,
/// an input followed to CONSUMED, its events, observation batches and typed errors.
/// </summary>
[Collection(RealServerCollection.Name)]
public sealed class EndToEndTests(RealServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly ServiceProvider _services = TestClients.Create(server.Address);
    private RuntimeClient Client => _services.GetRequiredService<RuntimeClient>();

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task An_accepted_input_is_followed_to_CONSUMED_and_its_events_are_watched()
    {
        var runtimeId = $"dotnet-e2e-{Guid.NewGuid():N}";
        var created = await Client.ControlPlane.CreateRuntimeAsync(
            new CreateRuntimeRequest { RuntimeId = runtimeId, Destination = "inproc:accept", Labels = { ["suite"] = "dotnet" } });
        Assert.Equal(runtimeId, created.Runtime.RuntimeId);

        var accepted = await Client.Driver.AcceptInputAsync(new AcceptInputRequest
        {
            RuntimeId = runtimeId,
            Input = new Input { InputId = "order-1", Kind = "order.created", Payload = ByteString.CopyFromUtf8("{\"id\":1}"), ContentType = "application/json" },
        });
        Assert.Equal(AcceptOutcome.Accepted, accepted.Outcome);

        using var timeout = new CancellationTokenSource(Bound);
        var state = await Client.WaitForInputAsync(runtimeId, accepted.InputId, timeout.Token);
        Assert.Equal(InputPhase.Consumed, state.Phase);
        Assert.Contains(state.History, t => t.To == InputPhase.Queued);

        var events = await Client.WatchRuntimeEventsAsync(new WatchRuntimeEventsRequest
        {
            RuntimeIds = { runtimeId },
            Kinds = { RuntimeEventKind.InputTransitioned },
            AfterSequence = 0,
            MaxEvents = 2,
        }).ReadAllAsync(Bound);

        // max_events ends the stream by itself after exactly two events, the first being the acceptance.
        var transitions = events.Where(m => m.MessageCase == WatchRuntimeEventsResponse.MessageOneofCase.Events)
            .SelectMany(m => m.Events.Events).ToList();
        Assert.Equal(2, transitions.Count);
        Assert.All(transitions, e => Assert.Equal("order-1", e.InputId));
        Assert.Equal(InputPhase.Accepted, transitions[0].ToPhase);
        Assert.True(transitions[1].Sequence > transitions[0].Sequence);
    }

    [Fact]
    public async Task The_runtimes_observer_sends_a_snapshot_then_a_batch_about_a_new_runtime()
    {
        var runtimeId = $"dotnet-observed-{Guid.NewGuid():N}";
        using var timeout = new CancellationTokenSource(Bound);
        var messages = Client.SubscribeAsync(
            new SubscribeRequest { Observers = { "runtimes" }, IncludeSnapshot = true, MaxMessages = 100 }, timeout.Token);
        await using var reader = messages.GetAsyncEnumerator(timeout.Token);

        Assert.True(await reader.MoveNextAsync());
        Assert.Equal(SubscribeResponse.MessageOneofCase.Snapshot, reader.Current.MessageCase);
        Assert.Equal("runtimes", reader.Current.Snapshot.Observer);

        await Client.ControlPlane.CreateRuntimeAsync(
            new CreateRuntimeRequest { RuntimeId = runtimeId, Destination = "inproc:accept" }, cancellationToken: timeout.Token);

        Batch? mentioning = null;
        while (mentioning is null && await reader.MoveNextAsync())
        {
            if (reader.Current.MessageCase == SubscribeResponse.MessageOneofCase.Batch
                && reader.Current.Batch.Events.Any(e => e.Subject.Contains(runtimeId, StringComparison.Ordinal)))
            {
                mentioning = reader.Current.Batch;
            }
        }

        Assert.NotNull(mentioning);
        Assert.Equal("runtimes", mentioning.Observer);
    }

    [Fact]
    public async Task An_unknown_runtime_fails_with_the_RUNTIME_NOT_FOUND_reason()
    {
        var error = await Assert.ThrowsAsync<RuntimeClientException>(async () =>
            await Client.ControlPlane.GetRuntimeAsync(new GetRuntimeRequest { RuntimeId = "no-such-runtime" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("RUNTIME_NOT_FOUND", error.Reason);
        Assert.Equal("runtime", error.Domain);
        Assert.Equal("no-such-runtime", error.Metadata["runtime_id"]);
    }

    [Fact]
    public async Task A_bad_field_fails_with_INVALID_ARGUMENT_and_names_the_field()
    {
        var error = await Assert.ThrowsAsync<RuntimeClientException>(async () =>
            await Client.ControlPlane.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "", Destination = "inproc:accept" }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("INVALID_FIELD", error.Reason);
        Assert.Contains(error.FieldViolations, v => v.Field == "runtime_id");
    }

    [Fact]
    public async Task A_batch_larger_than_one_message_is_answered_in_order_and_a_bad_input_is_refused_alone()
    {
        var runtimeId = $"dotnet-batch-{Guid.NewGuid():N}";
        await Client.ControlPlane.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = runtimeId, Destination = "inproc:accept" });
        const int Count = RuntimeClient.MaxInputsPerMessage + 52;
        const int Bad = RuntimeClient.MaxInputsPerMessage + 2; // in the second message
        var inputs = Enumerable.Range(0, Count).Select(i => new Input
        {
            InputId = $"b-{i:D4}",
            Kind = i == Bad ? new string('k', 1_000) : "batch",
            Payload = ByteString.CopyFromUtf8($"{{\"n\":{i}}}"),
        }).ToList();

        using var timeout = new CancellationTokenSource(Bound);
        var results = await Client.AcceptBatchAsync(runtimeId, inputs, timeout.Token);

        Assert.Equal(Count, results.Count);
        var refused = results[Bad].Error;
        Assert.NotNull(refused);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("INVALID_FIELD", refused.Reason);
        for (var i = 0; i < Count; i++)
        {
            if (i != Bad)
            {
                Assert.True(results[i].IsAccepted, $"input {i}: {results[i].Error?.Message}");
                Assert.Equal($"b-{i:D4}", results[i].Accepted!.InputId);
            }
        }

        var last = await Client.WaitForInputAsync(runtimeId, $"b-{Count - 1:D4}", timeout.Token);
        Assert.Equal(InputPhase.Consumed, last.Phase);
    }

    [Fact]
    public async Task A_batch_for_an_unknown_runtime_is_refused_input_by_input_with_RUNTIME_NOT_FOUND()
    {
        using var timeout = new CancellationTokenSource(Bound);
        var results = await Client.AcceptBatchAsync("no-such-runtime",
            [new Input { Kind = "batch" }, new Input { Kind = "batch" }], timeout.Token);

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal("RUNTIME_NOT_FOUND", r.Error?.Reason));
    }

    [Fact]
    public async Task An_empty_batch_needs_no_call()
    {
        Assert.Empty(await Client.AcceptBatchAsync("any-runtime", []));
    }
}
