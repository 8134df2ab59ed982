using Runtime.Core.Delivery;
using Runtime.Core.Events;
using Runtime.Core.Inputs;
using Runtime.Observation.Events;

namespace Runtime.Analytics.Tests;

/// <summary>Builds runtime events for tests.</summary>
internal static class Events
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static StreamedEvent Input(
        long sequence,
        string runtime,
        InputPhase phase,
        long bytes = 10,
        TimeSpan? latency = null,
        string? destination = null,
        DateTimeOffset? time = null,
        IReadOnlyDictionary<string, string>? labels = null,
        int attempt = 0) =>
        new(sequence, new RuntimeEvent
        {
            Kind = RuntimeEventKind.InputTransitioned,
            Time = time ?? Start,
            RuntimeId = runtime,
            InputId = $"in-{sequence}",
            Destination = destination,
            ToPhase = phase,
            PayloadType = PayloadType.RpcReliable,
            Bytes = bytes,
            Latency = latency,
            Attempt = attempt,
            Attributes = labels,
        });

    public static StreamedEvent Run(
        long sequence, string runtime, bool completed, TimeSpan latency, string destination = "sink", DateTimeOffset? time = null) =>
        new(sequence, new RuntimeEvent
        {
            Kind = completed ? RuntimeEventKind.RunCompleted : RuntimeEventKind.RunFailed,
            Time = time ?? Start,
            RuntimeId = runtime,
            RunId = $"run-{sequence}",
            Destination = destination,
            Latency = latency,
            Attempt = 1,
        });
}
