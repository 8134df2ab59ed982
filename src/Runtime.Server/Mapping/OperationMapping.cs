using Google.Protobuf;
using Runtime.Core.Errors;
using Runtime.Core.Hosting;
using Pb = Runtime.Contracts.V1;

namespace Runtime.Server.Mapping;

/// <summary>Lifecycle reports, receipts and published events: proto ⇄ domain.</summary>
public static class OperationMapping
{
    /// <summary>A retire report.</summary>
    public static Pb.LifecycleReport ToProto(this RetireReport report) => new()
    {
        RuntimeId = report.RuntimeId,
        Operation = Pb.LifecycleOperation.Retire,
        PreviousState = report.PreviousState.ToProto(),
        State = report.State.ToProto(),
        NoOp = report.NoOp,
        InputsAbandoned = (ulong)report.InputsAbandoned,
        InputsDraining = (ulong)report.InputsPendingDrain,
        CompleteTime = report.CompletedAt.ToProto(),
    };

    /// <summary>A recycle report.</summary>
    public static Pb.LifecycleReport ToProto(this RecycleReport report) => new()
    {
        RuntimeId = report.RuntimeId,
        Operation = Pb.LifecycleOperation.Recycle,
        PreviousState = report.PreviousState.ToProto(),
        State = report.State.ToProto(),
        InputsTransferred = (ulong)report.InputsTransferred,
        InputsRequeued = (ulong)report.InputsRequeued,
        CompleteTime = report.CompletedAt.ToProto(),
    };

    /// <summary>A reset report.</summary>
    public static Pb.LifecycleReport ToProto(this ResetReport report) => new()
    {
        RuntimeId = report.RuntimeId,
        Operation = Pb.LifecycleOperation.Reset,
        PreviousState = report.PreviousState.ToProto(),
        State = report.State.ToProto(),
        InputsAbandoned = (ulong)report.InputsAbandoned,
        CompleteTime = report.CompletedAt.ToProto(),
    };

    /// <summary>A recovery report.</summary>
    public static Pb.LifecycleReport ToProto(this RecoveryReport report) => new()
    {
        RuntimeId = report.RuntimeId,
        Operation = Pb.LifecycleOperation.Recover,
        PreviousState = report.PreviousState.ToProto(),
        State = report.State.ToProto(),
        InputsRequeued = (ulong)report.InputsRequeued,
        InputsConsumed = (ulong)report.InputsConsumed,
        InputsAbandoned = (ulong)report.InputsAbandoned,
        CompleteTime = report.CompletedAt.ToProto(),
    };

    /// <summary>A destroy report.</summary>
    public static Pb.LifecycleReport ToProto(this DestroyReport report) => new()
    {
        RuntimeId = report.RuntimeId,
        Operation = Pb.LifecycleOperation.Destroy,
        PreviousState = report.PreviousState.ToProto(),
        State = Pb.RuntimeState.Destroyed,
        NoOp = report.NoOp,
        InputsAbandoned = (ulong)report.InputsAbandoned,
        CompleteTime = report.CompletedAt.ToProto(),
    };

    /// <summary>A boundary receipt.</summary>
    public static Pb.BoundaryReceipt ToProto(this BoundaryReceipt receipt)
    {
        var proto = new Pb.BoundaryReceipt
        {
            RuntimeId = receipt.RuntimeId,
            RunId = receipt.RunId,
            Sequence = (ulong)receipt.Sequence,
            Digest = ByteString.CopyFrom(Convert.FromHexString(receipt.Digest)),
            Time = receipt.Time.ToProto(),
        };
        proto.InputIds.AddRange(receipt.InputIds);
        return proto;
    }

    /// <summary>The event a PublishEvent request reports; a missing event is INVALID_ARGUMENT on <c>event</c>.</summary>
    public static ExternalEvent ToDomain(this Pb.PublishEventRequest request) => request.EventCase switch
    {
        Pb.PublishEventRequest.EventOneofCase.RunCompleted => new ExternalEvent
        {
            Kind = ExternalEventKind.RunCompleted,
            RunId = request.RunCompleted.RunId,
        },
        Pb.PublishEventRequest.EventOneofCase.RunFailed => new ExternalEvent
        {
            Kind = ExternalEventKind.RunFailed,
            RunId = request.RunFailed.RunId,
            Error = request.RunFailed.Error,
            Permanent = request.RunFailed.Permanent,
        },
        Pb.PublishEventRequest.EventOneofCase.InputsAcknowledged => new ExternalEvent
        {
            Kind = ExternalEventKind.InputsAcked,
            InputIds = [.. request.InputsAcknowledged.InputIds],
        },
        Pb.PublishEventRequest.EventOneofCase.Custom => new ExternalEvent
        {
            Kind = ExternalEventKind.Custom,
            Name = request.Custom.Name,
            Attributes = request.Custom.Attributes.ToDictionary(),
        },
        _ => throw Fail.InvalidField("event", "one of run_completed, run_failed, inputs_acknowledged or custom is required"),
    };

    /// <summary>PublishEvent's answer.</summary>
    public static Pb.PublishEventResponse ToProto(this PublishResult result)
    {
        var response = new Pb.PublishEventResponse { Sequence = (ulong)Math.Max(0, result.EventSequence) };
        response.AffectedInputIds.AddRange(result.AffectedInputIds);
        return response;
    }
}
