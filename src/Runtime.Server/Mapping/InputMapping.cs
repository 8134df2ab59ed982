using Runtime.Core.Errors;
using Runtime.Core.Hosting;
using Api = Runtime.Contracts.V1;

namespace Runtime.Server.Mapping;

/// <summary>Inputs and their ledger records: proto ⇄ domain.</summary>
public static class InputMapping
{
    /// <summary>The submission a request carries; a missing input is INVALID_ARGUMENT on <paramref name="field"/>.</summary>
    public static InputSubmission ToSubmission(this Api.Input? input, string field)
    {
        if (input is null)
        {
            throw Fail.InvalidField(field, "is required");
        }

        var overrides = input.Overrides;
        return new InputSubmission
        {
            InputId = input.InputId,
            IdempotencyKey = input.IdempotencyKey,
            Kind = input.Kind,
            Payload = input.Payload.Memory,
            ContentType = input.ContentType,
            Headers = input.Headers.ToDictionary(),
            PayloadType = input.PayloadType.ToDomain($"{field}.payload_type"),
            Priority = input.Priority,
            SupersessionKey = input.SupersessionKey,
            CoalesceKey = input.CoalesceKey,
            ConsumePoint = overrides?.ConsumePoint.ToDomain($"{field}.overrides.consume_point"),
            MaxAttempts = overrides is null || overrides.MaxAttempts == 0
                ? null
                : (int)Math.Min(overrides.MaxAttempts, int.MaxValue),
        };
    }

    /// <summary>An accept answer as proto.</summary>
    public static Api.AcceptInputResponse ToProto(this AcceptResult result) => new()
    {
        Outcome = result.Outcome switch
        {
            AcceptOutcome.Accepted => Api.AcceptOutcome.Accepted,
            AcceptOutcome.Deduplicated => Api.AcceptOutcome.Deduplicated,
            _ => Api.AcceptOutcome.Rejected,
        },
        InputId = result.InputId,
        Phase = result.Phase?.ToProto() ?? Api.InputPhase.Unspecified,
        ExistingInputId = result.ExistingInputId,
        Reason = result.Reason,
    };

    /// <summary>A ledger record as proto; history and payload only when asked for.</summary>
    public static Api.InputState ToProto(this InputState state, bool includeHistory, bool includePayload)
    {
        var proto = new Api.InputState
        {
            InputId = state.InputId,
            RuntimeId = state.RuntimeId,
            Kind = state.Kind,
            Phase = state.Phase.ToProto(),
            AbandonReason = state.AbandonReason.ToProto(),
            AttemptCount = (uint)state.AttemptCount,
            RecoveryCount = (uint)state.RecoveryCount,
            LastRunId = state.LastRunId,
            LastBoundarySequence = (ulong)state.LastBoundarySequence,
            LastError = state.LastError,
            IdempotencyKey = state.IdempotencyKey,
            SupersessionKey = state.SupersessionKey,
            CoalesceKey = state.CoalesceKey,
            Priority = state.Priority,
            PayloadType = state.PayloadType.ToProto(),
            ContentType = state.ContentType,
            PayloadSize = (ulong)state.Payload.Length,
            NextAttemptTime = state.NextAttemptAt.ToProto(),
            CreateTime = state.CreatedAt.ToProto(),
            UpdateTime = state.UpdatedAt.ToProto(),
        };
        foreach (var (name, value) in state.Headers)
        {
            proto.Headers[name] = value;
        }

        if (includePayload)
        {
            proto.Payload = Google.Protobuf.ByteString.CopyFrom(state.Payload.Span);
        }

        if (includeHistory)
        {
            proto.History.AddRange(state.History.Select(t => new Api.InputTransition
            {
                Time = t.Time.ToProto(),
                From = t.From?.ToProto() ?? Api.InputPhase.Unspecified,
                To = t.To.ToProto(),
                Reason = t.Reason,
            }));
        }

        return proto;
    }
}
