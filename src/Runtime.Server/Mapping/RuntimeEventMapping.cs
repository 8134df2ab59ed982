using Runtime.Core.Errors;
using Runtime.Observation.Events;
using CoreEvents = Runtime.Core.Events;
using Api = Runtime.Contracts.V1;

namespace Runtime.Server.Mapping;

/// <summary>Runtime events and watch requests: proto ⇄ domain.</summary>
public static class RuntimeEventMapping
{
    /// <summary>Domain event kind to proto.</summary>
    public static Api.RuntimeEventKind ToProto(this CoreEvents.RuntimeEventKind kind) => kind switch
    {
        CoreEvents.RuntimeEventKind.RuntimeCreated => Api.RuntimeEventKind.RuntimeCreated,
        CoreEvents.RuntimeEventKind.RuntimeStateChanged => Api.RuntimeEventKind.RuntimeStateChanged,
        CoreEvents.RuntimeEventKind.RuntimeDestroyed => Api.RuntimeEventKind.RuntimeDestroyed,
        CoreEvents.RuntimeEventKind.InputTransitioned => Api.RuntimeEventKind.InputTransitioned,
        CoreEvents.RuntimeEventKind.RunStarted => Api.RuntimeEventKind.RunStarted,
        CoreEvents.RuntimeEventKind.RunCompleted => Api.RuntimeEventKind.RunCompleted,
        CoreEvents.RuntimeEventKind.RunFailed => Api.RuntimeEventKind.RunFailed,
        CoreEvents.RuntimeEventKind.TransportChanged => Api.RuntimeEventKind.TransportChanged,
        CoreEvents.RuntimeEventKind.Published => Api.RuntimeEventKind.Published,
        _ => Api.RuntimeEventKind.Unspecified,
    };

    /// <summary>Proto event kind to domain; UNSPECIFIED and unknown values are refused.</summary>
    public static CoreEvents.RuntimeEventKind ToDomain(this Api.RuntimeEventKind kind, string field) => kind switch
    {
        Api.RuntimeEventKind.RuntimeCreated => CoreEvents.RuntimeEventKind.RuntimeCreated,
        Api.RuntimeEventKind.RuntimeStateChanged => CoreEvents.RuntimeEventKind.RuntimeStateChanged,
        Api.RuntimeEventKind.RuntimeDestroyed => CoreEvents.RuntimeEventKind.RuntimeDestroyed,
        Api.RuntimeEventKind.InputTransitioned => CoreEvents.RuntimeEventKind.InputTransitioned,
        Api.RuntimeEventKind.RunStarted => CoreEvents.RuntimeEventKind.RunStarted,
        Api.RuntimeEventKind.RunCompleted => CoreEvents.RuntimeEventKind.RunCompleted,
        Api.RuntimeEventKind.RunFailed => CoreEvents.RuntimeEventKind.RunFailed,
        Api.RuntimeEventKind.TransportChanged => CoreEvents.RuntimeEventKind.TransportChanged,
        Api.RuntimeEventKind.Published => CoreEvents.RuntimeEventKind.Published,
        _ => throw Fail.InvalidField(field, $"unknown or unspecified value {(int)kind}"),
    };

    /// <summary>A gap as proto: the hole (from..to) becomes after = from - 1, resume_at = to + 1.</summary>
    public static Api.Gap ToProto(this EventGap gap) => new()
    {
        Reason = gap.Reason == EventGapReason.FellBehind ? Api.GapReason.SlowSubscriber : Api.GapReason.Trimmed,
        After = (ulong)Math.Max(0, gap.FromSequence - 1),
        ResumeAt = (ulong)Math.Max(0, gap.ToSequence + 1),
        Message = gap.Reason == EventGapReason.FellBehind
            ? $"events {gap.FromSequence}..{gap.ToSequence} were overwritten before this watcher read them"
            : $"events {gap.FromSequence}..{gap.ToSequence} are no longer held by the server",
    };

    /// <summary>
    /// The proto form of a streamed event. Watchers do not call this per write: they share the event's bytes
    /// (<see cref="Services.RuntimeEventEncoding"/>).
    /// </summary>
    public static Api.RuntimeEvent ToProto(this StreamedEvent streamed)
    {
        var e = streamed.Event;
        var proto = new Api.RuntimeEvent
        {
            Sequence = (ulong)streamed.Sequence,
            Time = e.Time.ToProto(),
            Kind = e.Kind.ToProto(),
            RuntimeId = e.RuntimeId,
            InputId = e.InputId ?? "",
            RunId = e.RunId ?? "",
            Destination = e.Destination ?? "",
            InputKind = e.InputKind ?? "",
            FromPhase = e.FromPhase?.ToProto() ?? Api.InputPhase.Unspecified,
            ToPhase = e.ToPhase?.ToProto() ?? Api.InputPhase.Unspecified,
            FromState = e.FromState?.ToProto() ?? Api.RuntimeState.Unspecified,
            ToState = e.ToState?.ToProto() ?? Api.RuntimeState.Unspecified,
            PayloadType = e.PayloadType?.ToProto() ?? Api.PayloadType.Unspecified,
            Bytes = (ulong)Math.Max(0, e.Bytes),
            Latency = e.Latency?.ToProto(),
            Attempt = (uint)Math.Max(0, e.Attempt),
            Reason = e.Reason ?? "",
        };
        foreach (var (key, value) in e.Attributes ?? new Dictionary<string, string>())
        {
            proto.Attributes[key] = value;
        }

        return proto;
    }
}
