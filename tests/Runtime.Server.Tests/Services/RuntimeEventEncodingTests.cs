using Google.Protobuf;
using Runtime.Contracts.V1;
using Runtime.Observation.Events;
using Runtime.Server.Mapping;
using Runtime.Server.Services;
using CoreEvents = Runtime.Core.Events;
using CoreInputs = Runtime.Core.Inputs;

namespace Runtime.Server.Tests.Services;

/// <summary>WatchRuntimeEvents batches composed from per-event bytes are the bytes protobuf would write.</summary>
public sealed class RuntimeEventEncodingTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_composed_batch_is_byte_for_byte_the_serialised_response()
    {
        var events = new[]
        {
            new StreamedEvent(1, new CoreEvents.RuntimeEvent { Kind = CoreEvents.RuntimeEventKind.RuntimeCreated, Time = Now, RuntimeId = "r1" }),
            new StreamedEvent(300, new CoreEvents.RuntimeEvent
            {
                Kind = CoreEvents.RuntimeEventKind.InputTransitioned,
                Time = Now.AddMilliseconds(5),
                RuntimeId = "r1",
                InputId = "in-1",
                FromPhase = CoreInputs.InputPhase.Queued,
                ToPhase = CoreInputs.InputPhase.Staged,
                Bytes = 64,
                Latency = TimeSpan.FromMilliseconds(3),
                Attributes = new Dictionary<string, string> { ["team"] = "a", ["note"] = new string('x', 200) },
            }),
        };
        var expected = new WatchRuntimeEventsResponse { Events = new RuntimeEventBatch { Events = { events.Select(e => e.ToProto()) } } };

        var composed = RuntimeEventEncoding.Batch(events).Bytes;

        Assert.Equal(expected.ToByteArray(), composed);
        Assert.Equal(expected, WatchRuntimeEventsResponse.Parser.ParseFrom(composed));
    }

    [Fact]
    public void Each_event_is_serialised_once_for_every_batch_that_carries_it()
    {
        var streamed = new StreamedEvent(7, new CoreEvents.RuntimeEvent { Kind = CoreEvents.RuntimeEventKind.Published, Time = Now, RuntimeId = "r2" });

        var first = RuntimeEventEncoding.Entry(streamed);
        RuntimeEventEncoding.Batch([streamed]);

        Assert.Same(first, RuntimeEventEncoding.Entry(streamed));
        Assert.Same(first, streamed.GetOrAddEncoded<byte[]>(() => throw new InvalidOperationException("encoded again")));
    }
}
