using Runtime.Core.Errors;
using Core = Runtime.Core;
using Api = Runtime.Contracts.V1;

namespace Runtime.Server.Mapping;

/// <summary>
/// Proto ⇄ domain enums. Proto enums carry an UNSPECIFIED zero and may arrive with values this server does not
/// know; those are refused as INVALID_ARGUMENT naming the field, never guessed.
/// </summary>
public static class EnumMapping
{
    /// <summary>Domain runtime state to proto.</summary>
    public static Api.RuntimeState ToProto(this Core.Runtimes.RuntimeState state) => state switch
    {
        Core.Runtimes.RuntimeState.Initializing => Api.RuntimeState.Initializing,
        Core.Runtimes.RuntimeState.Idle => Api.RuntimeState.Idle,
        Core.Runtimes.RuntimeState.Attached => Api.RuntimeState.Attached,
        Core.Runtimes.RuntimeState.Running => Api.RuntimeState.Running,
        Core.Runtimes.RuntimeState.Recovering => Api.RuntimeState.Recovering,
        Core.Runtimes.RuntimeState.Retired => Api.RuntimeState.Retired,
        Core.Runtimes.RuntimeState.Stopped => Api.RuntimeState.Stopped,
        Core.Runtimes.RuntimeState.Destroyed => Api.RuntimeState.Destroyed,
        _ => Api.RuntimeState.Unspecified,
    };

    /// <summary>Proto runtime state to domain; UNSPECIFIED and unknown values are refused.</summary>
    public static Core.Runtimes.RuntimeState ToDomain(this Api.RuntimeState state, string field) => state switch
    {
        Api.RuntimeState.Initializing => Core.Runtimes.RuntimeState.Initializing,
        Api.RuntimeState.Idle => Core.Runtimes.RuntimeState.Idle,
        Api.RuntimeState.Attached => Core.Runtimes.RuntimeState.Attached,
        Api.RuntimeState.Running => Core.Runtimes.RuntimeState.Running,
        Api.RuntimeState.Recovering => Core.Runtimes.RuntimeState.Recovering,
        Api.RuntimeState.Retired => Core.Runtimes.RuntimeState.Retired,
        Api.RuntimeState.Stopped => Core.Runtimes.RuntimeState.Stopped,
        Api.RuntimeState.Destroyed => Core.Runtimes.RuntimeState.Destroyed,
        _ => throw Unknown(field, (int)state),
    };

    /// <summary>Domain input phase to proto.</summary>
    public static Api.InputPhase ToProto(this Core.Inputs.InputPhase phase) => phase switch
    {
        Core.Inputs.InputPhase.Accepted => Api.InputPhase.Accepted,
        Core.Inputs.InputPhase.Queued => Api.InputPhase.Queued,
        Core.Inputs.InputPhase.Staged => Api.InputPhase.Staged,
        Core.Inputs.InputPhase.Applied => Api.InputPhase.Applied,
        Core.Inputs.InputPhase.AppliedPendingConsumption => Api.InputPhase.AppliedPendingConsumption,
        Core.Inputs.InputPhase.Consumed => Api.InputPhase.Consumed,
        Core.Inputs.InputPhase.Superseded => Api.InputPhase.Superseded,
        Core.Inputs.InputPhase.Coalesced => Api.InputPhase.Coalesced,
        Core.Inputs.InputPhase.Abandoned => Api.InputPhase.Abandoned,
        _ => Api.InputPhase.Unspecified,
    };

    /// <summary>Proto input phase to domain; UNSPECIFIED and unknown values are refused.</summary>
    public static Core.Inputs.InputPhase ToDomain(this Api.InputPhase phase, string field) => phase switch
    {
        Api.InputPhase.Accepted => Core.Inputs.InputPhase.Accepted,
        Api.InputPhase.Queued => Core.Inputs.InputPhase.Queued,
        Api.InputPhase.Staged => Core.Inputs.InputPhase.Staged,
        Api.InputPhase.Applied => Core.Inputs.InputPhase.Applied,
        Api.InputPhase.AppliedPendingConsumption => Core.Inputs.InputPhase.AppliedPendingConsumption,
        Api.InputPhase.Consumed => Core.Inputs.InputPhase.Consumed,
        Api.InputPhase.Superseded => Core.Inputs.InputPhase.Superseded,
        Api.InputPhase.Coalesced => Core.Inputs.InputPhase.Coalesced,
        Api.InputPhase.Abandoned => Core.Inputs.InputPhase.Abandoned,
        _ => throw Unknown(field, (int)phase),
    };

    /// <summary>Domain abandon reason to proto.</summary>
    public static Api.AbandonReason ToProto(this Core.Inputs.AbandonReason reason) => reason switch
    {
        Core.Inputs.AbandonReason.Retired => Api.AbandonReason.Retired,
        Core.Inputs.AbandonReason.Reset => Api.AbandonReason.Reset,
        Core.Inputs.AbandonReason.Stopped => Api.AbandonReason.Stopped,
        Core.Inputs.AbandonReason.Destroyed => Api.AbandonReason.Destroyed,
        Core.Inputs.AbandonReason.Cancelled => Api.AbandonReason.Cancelled,
        Core.Inputs.AbandonReason.MaxAttemptsExhausted => Api.AbandonReason.MaxAttemptsExhausted,
        Core.Inputs.AbandonReason.NeverExecuted => Api.AbandonReason.NeverExecuted,
        _ => Api.AbandonReason.Unspecified,
    };

    /// <summary>Domain payload type to proto.</summary>
    public static Api.PayloadType ToProto(this Core.Delivery.PayloadType type) => type switch
    {
        Core.Delivery.PayloadType.RpcReliable => Api.PayloadType.RpcReliable,
        Core.Delivery.PayloadType.RpcSignal => Api.PayloadType.RpcSignal,
        Core.Delivery.PayloadType.StreamReliable => Api.PayloadType.StreamReliable,
        Core.Delivery.PayloadType.StreamLatencyFirst => Api.PayloadType.StreamLatencyFirst,
        _ => Api.PayloadType.Unspecified,
    };

    /// <summary>Proto payload type to domain; UNSPECIFIED means the default lane (RPC_RELIABLE).</summary>
    public static Core.Delivery.PayloadType ToDomain(this Api.PayloadType type, string field) => type switch
    {
        Api.PayloadType.Unspecified or Api.PayloadType.RpcReliable => Core.Delivery.PayloadType.RpcReliable,
        Api.PayloadType.RpcSignal => Core.Delivery.PayloadType.RpcSignal,
        Api.PayloadType.StreamReliable => Core.Delivery.PayloadType.StreamReliable,
        Api.PayloadType.StreamLatencyFirst => Core.Delivery.PayloadType.StreamLatencyFirst,
        _ => throw Unknown(field, (int)type),
    };

    /// <summary>Domain queue mode to proto.</summary>
    public static Api.QueueMode ToProto(this Core.Policies.QueueMode mode) => mode switch
    {
        Core.Policies.QueueMode.Fifo => Api.QueueMode.Fifo,
        Core.Policies.QueueMode.Priority => Api.QueueMode.Priority,
        Core.Policies.QueueMode.Coalesce => Api.QueueMode.Coalesce,
        Core.Policies.QueueMode.Supersede => Api.QueueMode.Supersede,
        _ => Api.QueueMode.Unspecified,
    };

    /// <summary>Proto queue mode to domain; UNSPECIFIED takes <paramref name="fallback"/>.</summary>
    public static Core.Policies.QueueMode ToDomain(this Api.QueueMode mode, Core.Policies.QueueMode fallback, string field) => mode switch
    {
        Api.QueueMode.Unspecified => fallback,
        Api.QueueMode.Fifo => Core.Policies.QueueMode.Fifo,
        Api.QueueMode.Priority => Core.Policies.QueueMode.Priority,
        Api.QueueMode.Coalesce => Core.Policies.QueueMode.Coalesce,
        Api.QueueMode.Supersede => Core.Policies.QueueMode.Supersede,
        _ => throw Unknown(field, (int)mode),
    };

    /// <summary>Domain consume point to proto.</summary>
    public static Api.ConsumePoint ToProto(this Core.Policies.ConsumePoint point) => point switch
    {
        Core.Policies.ConsumePoint.OnAccept => Api.ConsumePoint.OnAccept,
        Core.Policies.ConsumePoint.OnApply => Api.ConsumePoint.OnApply,
        Core.Policies.ConsumePoint.OnRunComplete => Api.ConsumePoint.OnRunComplete,
        Core.Policies.ConsumePoint.ExplicitAck => Api.ConsumePoint.ExplicitAck,
        _ => Api.ConsumePoint.Unspecified,
    };

    /// <summary>Proto consume point to domain; UNSPECIFIED is null (take the runtime's or the default).</summary>
    public static Core.Policies.ConsumePoint? ToDomain(this Api.ConsumePoint point, string field) => point switch
    {
        Api.ConsumePoint.Unspecified => null,
        Api.ConsumePoint.OnAccept => Core.Policies.ConsumePoint.OnAccept,
        Api.ConsumePoint.OnApply => Core.Policies.ConsumePoint.OnApply,
        Api.ConsumePoint.OnRunComplete => Core.Policies.ConsumePoint.OnRunComplete,
        Api.ConsumePoint.ExplicitAck => Core.Policies.ConsumePoint.ExplicitAck,
        _ => throw Unknown(field, (int)point),
    };

    private static RuntimeException Unknown(string field, int value) =>
        Fail.InvalidField(field, $"unknown or unspecified value {value}");
}
