using Google.Protobuf;
using Runtime.Core.Errors;
using Runtime.Core.Hosting;
using Api = Runtime.Contracts.V1;

namespace Runtime.Server.Mapping;

/// <summary>Lifecycle reports, receipts and published events: proto ⇄ domain.</summary>
public static class OperationMapping
{
    /// <summary>A retire report.</summary>
    public static Api.LifecycleReport ToProto(this RetireReport report, DateTimeOffset completed) => new()
    {
        RuntimeId = report.RuntimeId,
        Operation = Api.LifecycleOperation.Retire,
        NoOp = report.NoOp,
        PreviousState = report.PreviousState.ToProto(),
        State = report.State.ToProto(),
        InputsAbandoned = (ulong)report.InputsAbandoned,
        InputsDraining = (ulong)report.InputsPendingDrain,
        CompleteTime = completed.ToProto(),
    };

    /// <summary>A recycle report.</summary>
    public static Api.LifecycleReport ToProto(this RecycleReport report, DateTimeOffset completed) => new()
    {
        RuntimeId = report.RuntimeId,
        Operation = Api.LifecycleOperation.Recycle,
        PreviousState = report.PreviousState.ToProto(),
        State = report.State.ToProto(),
        InputsTransferred = (ulong)report.InputsTransferred,
        InputsRequeued = (ulong)report.InputsRequeued,
        CompleteTime = completed.ToProto(),
    };

    /// <summary>A reset report.</summary>
    public static Api.LifecycleReport ToProto(this ResetReport report, DateTimeOffset completed) => new()
    {
        RuntimeId = report.RuntimeId,
        Operation = Api.LifecycleOperation.Reset,
        NoOp = report.NoOp,
        PreviousState = report.PreviousState.ToProto(),
        State = report.State.ToProto(),
        InputsAbandoned = (ulong)report.InputsAbandoned,
        CompleteTime = completed.ToProto(),
    };

    /// <summary>A recovery report.</summary>
    public static Api.LifecycleReport ToProto(this RecoveryReport report, DateTimeOffset completed) => new()
    {
        RuntimeId = report.RuntimeId,
        Operation = Api.LifecycleOperation.Recover,
        PreviousState = report.PreviousState.ToProto(),
        State = report.State.ToProto(),
        InputsRequeued = (ulong)report.InputsRequeued,
        InputsConsumed = (ulong)report.InputsConsumed,
        InputsAbandoned = (ulong)report.InputsAbandoned,
        CompleteTime = completed.ToProto(),
    };

    /// <summary>A destroy report.</summary>
    public static Api.LifecycleReport ToProto(this DestroyReport report, DateTimeOffset completed) => new()
    {
        RuntimeId = report.RuntimeId,
        Operation = Api.LifecycleOperation.Destroy,
        PreviousState = report.PreviousState.ToProto(),
        State = Api.RuntimeState.Destroyed,
        NoOp = report.NoOp,
        InputsAbandoned = (ulong)report.InputsAbandoned,
        CompleteTime = completed.ToProto(),
    };

    /// <summary>A boundary receipt.</summary>
    public static Api.BoundaryReceipt ToProto(this BoundaryReceipt receipt)
    {
        var proto = new Api.BoundaryReceipt
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
    public static ExternalEvent ToDomain(this Api.PublishEventRequest request) => request.EventCase switch
    {
        Api.PublishEventRequest.EventOneofCase.RunCompleted => new ExternalEvent
        {
            Kind = ExternalEventKind.RunCompleted,
            RunId = request.RunCompleted.RunId,
        },
        Api.PublishEventRequest.EventOneofCase.RunFailed => new ExternalEvent
        {
            Kind = ExternalEventKind.RunFailed,
            RunId = request.RunFailed.RunId,
            Error = request.RunFailed.Error,
        },
        Api.PublishEventRequest.EventOneofCase.InputsAcknowledged => new ExternalEvent
        {
            Kind = ExternalEventKind.InputsAcked,
            InputIds = [.. request.InputsAcknowledged.InputIds],
        },
        Api.PublishEventRequest.EventOneofCase.Custom => new ExternalEvent
        {
            Kind = ExternalEventKind.Custom,
            Attributes = new Dictionary<string, string>(request.Custom.Attributes) { ["name"] = request.Custom.Name },
        },
        _ => throw Fail.InvalidField("event", "one of run_completed, run_failed, inputs_acknowledged or custom is required"),
    };

    /// <summary>PublishEvent's answer.</summary>
    public static Api.PublishEventResponse ToProto(this PublishResult result)
    {
        var response = new Api.PublishEventResponse
        {
            Sequence = (ulong)Math.Max(0, result.EventSequence),
            InputsConsumed = (ulong)result.InputsConsumed,
            InputsAbandoned = (ulong)result.InputsAbandoned,
        };
        response.AffectedInputIds.AddRange(result.AffectedInputIds);
        return response;
    }
}
