using Google.Protobuf;
using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.Server.Tests.Infrastructure;

namespace Runtime.Server.Tests.Services;

/// <summary>WatchRuntimeEvents through the in-memory server: bounds end the stream cleanly, resume neither skips nor repeats.</summary>
public sealed class WatchRuntimeEventsTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly RuntimeControlPlaneService.RuntimeControlPlaneServiceClient _control = new(server.Channel);
    private readonly RuntimeDriverService.RuntimeDriverServiceClient _driver = new(server.Channel);

    [Fact]
    public async Task Max_events_ends_the_stream_with_ok_after_exactly_that_many_events()
    {
        await CreateWithInputsAsync("watch-max", inputs: 4);

        var (events, status) = await WatchAsync(new WatchRuntimeEventsRequest { RuntimeIds = { "watch-max" }, AfterSequence = 0, MaxEvents = 5 });

        Assert.Equal(StatusCode.OK, status.StatusCode);
        Assert.Equal(5, events.Count);
        Assert.All(events, e => Assert.Equal("watch-max", e.RuntimeId));
        Assert.Equal(RuntimeEventKind.RuntimeCreated, events[0].Kind);
        AssertStrictlyIncreasing(events);
    }

    [Fact]
    public async Task Resuming_after_a_sequence_returns_exactly_the_events_after_it_without_duplicates()
    {
        await CreateWithInputsAsync("watch-resume", inputs: 5);
        var (seen, _) = await WatchAsync(new WatchRuntimeEventsRequest { RuntimeIds = { "watch-resume" }, AfterSequence = 0, MaxEvents = 8 });
        Assert.Equal(8, seen.Count);

        // A client that saw the first three disconnects and resumes after the last sequence it saw.
        var (resumed, status) = await WatchAsync(new WatchRuntimeEventsRequest
        {
            RuntimeIds = { "watch-resume" }, AfterSequence = seen[2].Sequence, MaxEvents = 5,
        });

        Assert.Equal(StatusCode.OK, status.StatusCode);
        Assert.Equal(seen.Skip(3), resumed); // same events, same order, nothing before or at the resume point
        Assert.Equal(resumed.Count, resumed.Select(e => e.Sequence).Distinct().Count());
    }

    [Fact]
    public async Task Resuming_at_the_head_waits_for_new_events_only()
    {
        await CreateWithInputsAsync("watch-tail", inputs: 1);
        var (seen, _) = await WatchAsync(new WatchRuntimeEventsRequest { RuntimeIds = { "watch-tail" }, AfterSequence = 0, MaxEvents = 2 });

        using var call = _control.WatchRuntimeEvents(new WatchRuntimeEventsRequest
        {
            RuntimeIds = { "watch-tail" }, AfterSequence = seen[^1].Sequence, Kinds = { RuntimeEventKind.RuntimeDestroyed }, MaxEvents = 1,
        });
        await _control.DestroyRuntimeAsync(new DestroyRuntimeRequest { RuntimeId = "watch-tail" });
        var events = await ReadToEndAsync(call);

        var destroyed = Assert.Single(events);
        Assert.Equal(RuntimeEventKind.RuntimeDestroyed, destroyed.Kind);
        Assert.True(destroyed.Sequence > seen[^1].Sequence);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    private async Task CreateWithInputsAsync(string runtimeId, int inputs)
    {
        await _control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = runtimeId, Destination = "inproc:accept" });
        for (var i = 0; i < inputs; i++)
        {
            await _driver.AcceptInputAsync(new AcceptInputRequest
            {
                RuntimeId = runtimeId,
                Input = new Input { Kind = "test", Payload = ByteString.CopyFromUtf8($"p{i}") },
            });
        }
    }

    private async Task<(List<RuntimeEvent> Events, Status Status)> WatchAsync(WatchRuntimeEventsRequest request)
    {
        using var call = _control.WatchRuntimeEvents(request);
        var events = await ReadToEndAsync(call);
        return (events, call.GetStatus());
    }

    /// <summary>Every event the stream sends until it ends by itself (bounded in time); gaps fail the test.</summary>
    private static async Task<List<RuntimeEvent>> ReadToEndAsync(AsyncServerStreamingCall<WatchRuntimeEventsResponse> call)
    {
        var events = new List<RuntimeEvent>();
        while (await call.ResponseStream.MoveNext().WaitAsync(Patience))
        {
            var message = call.ResponseStream.Current;
            Assert.NotEqual(WatchRuntimeEventsResponse.MessageOneofCase.Gap, message.MessageCase);
            if (message.MessageCase == WatchRuntimeEventsResponse.MessageOneofCase.Events)
            {
                events.AddRange(message.Events.Events);
            }

            Assert.True(events.Count < 10_000, "the stream did not end");
        }

        return events;
    }

    private static void AssertStrictlyIncreasing(IReadOnlyList<RuntimeEvent> events)
    {
        for (var i = 1; i < events.Count; i++)
        {
            Assert.True(events[i].Sequence > events[i - 1].Sequence, $"sequence {events[i].Sequence} follows {events[i - 1].Sequence}");
        }
    }
}
