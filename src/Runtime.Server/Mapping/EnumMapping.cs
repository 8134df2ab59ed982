using Runtime.Core.Errors;
using Core = Runtime.Core;
using Pb = Runtime.Contracts.V1;

namespace Runtime.Server.Mapping;

/// <summary>
/// Proto ⇄ domain enums. Proto enums carry an UNSPECIFIED zero and may arrive with values this server does not
/// know; those are refused as INVALID_ARGUMENT naming the field, never guessed.
/// </summary>
public static class EnumMapping
{
    /// <summary>Domain runtime state to proto.</summary>
    public static Pb.RuntimeState ToProto(this Core.Runtimes.RuntimeState state) => state switch
    {
        Core.Runtimes.RuntimeState.Initializing => Pb.RuntimeState.Initializing,
        Core.Runtimes.RuntimeState.Idle => Pb.RuntimeState.Idle,
        Core.Runtimes.RuntimeState.Attached => Pb.RuntimeState.Attached,
        Core.Runtimes.RuntimeState.Running => Pb.RuntimeState.Running,
        Core.Runtimes.RuntimeState.Recovering => Pb.RuntimeState.Recovering,
        Core.Runtimes.RuntimeState.Retired => Pb.RuntimeState.Retired,
        Core.Runtimes.RuntimeState.Stopped => Pb.RuntimeState.Stopped,
        Core.Runtimes.RuntimeState.Destroyed => Pb.RuntimeState.Destroyed,
        _ => Pb.RuntimeState.Unspecified,
    };

    /// <summary>Proto runtime state to domain; UNSPECIFIED and unknown values are refused.</summary>
    public static Core.Runtimes.RuntimeState ToDomain(this Pb.RuntimeState state, string field) => state switch
    {
        Pb.RuntimeState.Initializing => Core.Runtimes.RuntimeState.Initializing,
        Pb.RuntimeState.Idle => Core.Runtimes.RuntimeState.Idle,
        Pb.RuntimeState.Attached => Core.Runtimes.RuntimeState.Attached,
        Pb.RuntimeState.Running => Core.Runtimes.RuntimeState.Running,
        Pb.RuntimeState.Recovering => Core.Runtimes.RuntimeState.Recovering,
        Pb.RuntimeState.Retired => Core.Runtimes.RuntimeState.Retired,
        Pb.RuntimeState.Stopped => Core.Runtimes.RuntimeState.Stopped,
        Pb.RuntimeState.Destroyed => Core.Runtimes.RuntimeState.Destroyed,
        _ => throw Unknown(field, (int)state),
    };

    /// <summary>Domain input phase to proto.</summary>
    public static Pb.InputPhase ToProto(this Core.Inputs.InputPhase phase) => phase switch
    {
        Core.Inputs.InputPhase.Accepted => Pb.InputPhase.Accepted,
        Core.Inputs.InputPhase.Queued => Pb.InputPhase.Queued,
        Core.Inputs.InputPhase.Staged => Pb.InputPhase.Staged,
        Core.Inputs.InputPhase.Applied => Pb.InputPhase.Applied,
        Core.Inputs.InputPhase.AppliedPendingConsumption => Pb.InputPhase.AppliedPendingConsumption,
        Core.Inputs.InputPhase.Consumed => Pb.InputPhase.Consumed,
        Core.Inputs.InputPhase.Superseded => Pb.InputPhase.Superseded,
        Core.Inputs.InputPhase.Coalesced => Pb.InputPhase.Coalesced,
        Core.Inputs.InputPhase.Abandoned => Pb.InputPhase.Abandoned,
        _ => Pb.InputPhase.Unspecified,
    };

    /// <summary>Proto input phase to domain; UNSPECIFIED and unknown values are refused.</summary>
    public static Core.Inputs.InputPhase ToDomain(this Pb.InputPhase phase, string field) => phase switch
    {
        Pb.InputPhase.Accepted => Core.Inputs.InputPhase.Accepted,
        Pb.InputPhase.Queued => Core.Inputs.InputPhase.Queued,
        Pb.InputPhase.Staged => Core.Inputs.InputPhase.Staged,
        Pb.InputPhase.Applied => Core.Inputs.InputPhase.Applied,
        Pb.InputPhase.AppliedPendingConsumption => Core.Inputs.InputPhase.AppliedPendingConsumption,
        Pb.InputPhase.Consumed => Core.Inputs.InputPhase.Consumed,
        Pb.InputPhase.Superseded => Core.Inputs.InputPhase.Superseded,
        Pb.InputPhase.Coalesced => Core.Inputs.InputPhase.Coalesced,
        Pb.InputPhase.Abandoned => Core.Inputs.InputPhase.Abandoned,
        _ => throw Unknown(field, (int)phase),
    };

    /// <summary>Domain abandon reason to proto.</summary>
    public static Pb.AbandonReason ToProto(this Core.Inputs.AbandonReason reason) => reason switch
    {
        Core.Inputs.AbandonReason.Retired => Pb.AbandonReason.Retired,
        Core.Inputs.AbandonReason.Reset => Pb.AbandonReason.Reset,
        Core.Inputs.AbandonReason.Stopped => Pb.AbandonReason.Stopped,
        Core.Inputs.AbandonReason.Destroyed => Pb.AbandonReason.Destroyed,
        Core.Inputs.AbandonReason.Cancelled => Pb.AbandonReason.Cancelled,
        Core.Inputs.AbandonReason.MaxAttemptsExhausted => Pb.AbandonReason.MaxAttemptsExhausted,
        Core.Inputs.AbandonReason.NeverExecuted => Pb.AbandonReason.NeverExecuted,
        _ => Pb.AbandonReason.Unspecified,
    };

    /// <summary>Domain payload type to proto.</summary>
    public static Pb.PayloadType ToProto(this Core.Delivery.PayloadType type) => type switch
    {
        Core.Delivery.PayloadType.RpcReliable => Pb.PayloadType.RpcReliable,
        Core.Delivery.PayloadType.RpcSignal => Pb.PayloadType.RpcSignal,
        Core.Delivery.PayloadType.StreamReliable => Pb.PayloadType.StreamReliable,
        Core.Delivery.PayloadType.StreamLatencyFirst => Pb.PayloadType.StreamLatencyFirst,
        _ => Pb.PayloadType.Unspecified,
    };

    /// <summary>Proto payload type to domain; UNSPECIFIED means the default lane (RPC_RELIABLE).</summary>
    public static Core.Delivery.PayloadType ToDomain(this Pb.PayloadType type, string field) => type switch
    {
        Pb.PayloadType.Unspecified or Pb.PayloadType.RpcReliable => Core.Delivery.PayloadType.RpcReliable,
        Pb.PayloadType.RpcSignal => Core.Delivery.PayloadType.RpcSignal,
        Pb.PayloadType.StreamReliable => Core.Delivery.PayloadType.StreamReliable,
        Pb.PayloadType.StreamLatencyFirst => Core.Delivery.PayloadType.StreamLatencyFirst,
        _ => throw Unknown(field, (int)type),
    };

    /// <summary>Domain queue mode to proto.</summary>
    public static Pb.QueueMode ToProto(this Core.Policies.QueueMode mode) => mode switch
    {
        Core.Policies.QueueMode.Fifo => Pb.QueueMode.Fifo,
        Core.Policies.QueueMode.Priority => Pb.QueueMode.Priority,
        Core.Policies.QueueMode.Coalesce => Pb.QueueMode.Coalesce,
        Core.Policies.QueueMode.Supersede => Pb.QueueMode.Supersede,
        _ => Pb.QueueMode.Unspecified,
    };

    /// <summary>Proto queue mode to domain; UNSPECIFIED takes <paramref name="fallback"/>.</summary>
    public static Core.Policies.QueueMode ToDomain(this Pb.QueueMode mode, Core.Policies.QueueMode fallback, string field) => mode switch
    {
        Pb.QueueMode.Unspecified => fallback,
        Pb.QueueMode.Fifo => Core.Policies.QueueMode.Fifo,
        Pb.QueueMode.Priority => Core.Policies.QueueMode.Priority,
        Pb.QueueMode.Coalesce => Core.Policies.QueueMode.Coalesce,
        Pb.QueueMode.Supersede => Core.Policies.QueueMode.Supersede,
        _ => throw Unknown(field, (int)mode),
    };

    /// <summary>Domain consume point to proto.</summary>
    public static Pb.ConsumePoint ToProto(this Core.Policies.ConsumePoint point) => point switch
    {
        Core.Policies.ConsumePoint.OnAccept => Pb.ConsumePoint.OnAccept,
        Core.Policies.ConsumePoint.OnApply => Pb.ConsumePoint.OnApply,
        Core.Policies.ConsumePoint.OnRunComplete => Pb.ConsumePoint.OnRunComplete,
        Core.Policies.ConsumePoint.ExplicitAck => Pb.ConsumePoint.ExplicitAck,
        _ => Pb.ConsumePoint.Unspecified,
    };

    /// <summary>Proto consume point to domain; UNSPECIFIED is null (take the runtime's or the default).</summary>
    public static Core.Policies.ConsumePoint? ToDomain(this Pb.ConsumePoint point, string field) => point switch
    {
        Pb.ConsumePoint.Unspecified => null,
        Pb.ConsumePoint.OnAccept => Core.Policies.ConsumePoint.OnAccept,
        Pb.ConsumePoint.OnApply => Core.Policies.ConsumePoint.OnApply,
        Pb.ConsumePoint.OnRunComplete => Core.Policies.ConsumePoint.OnRunComplete,
        Pb.ConsumePoint.ExplicitAck => Core.Policies.ConsumePoint.ExplicitAck,
        _ => throw Unknown(field, (int)point),
    };

    private static RuntimeException Unknown(string field, int value) =>
        Fail.InvalidField(field, $"unknown or unspecified value {value}");
}
