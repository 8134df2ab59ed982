using Google.Protobuf.Collections;
using Runtime.Core.Hosting;
using Runtime.Core.Policies;
using Api = Runtime.Contracts.V1;

namespace Runtime.Server.Mapping;

/// <summary>Runtimes and policies: proto ⇄ domain.</summary>
public static class RuntimeMapping
{
    /// <summary>The spec a CreateRuntime request asks for; unset policy fields take <paramref name="defaults"/>.</summary>
    public static RuntimeSpec ToSpec(this Api.CreateRuntimeRequest request, RuntimePolicy defaults) => new()
    {
        RuntimeId = request.RuntimeId,
        Destination = request.Destination,
        Policy = request.Policy.ToDomain(defaults, "policy"),
        Labels = request.Labels.ToDictionary(),
    };

    /// <summary>A proto policy over <paramref name="defaults"/> (zero/unset fields keep the default).</summary>
    public static RuntimePolicy ToDomain(this Api.RuntimePolicy? policy, RuntimePolicy defaults, string field)
    {
        if (policy is null)
        {
            return defaults;
        }

        var backoff = policy.RetryBackoff;
        return defaults with
        {
            QueueMode = policy.QueueMode.ToDomain(defaults.QueueMode, $"{field}.queue_mode"),
            ConsumePoint = policy.ConsumePoint.ToDomain($"{field}.consume_point") ?? defaults.ConsumePoint,
            MaxBatchPerRun = policy.MaxBatchPerRun == 0 ? defaults.MaxBatchPerRun : ClampToInt(policy.MaxBatchPerRun),
            MaxAttempts = policy.MaxAttempts == 0 ? defaults.MaxAttempts : ClampToInt(policy.MaxAttempts),
            MaxRunsInFlight = policy.MaxRunsInFlight == 0 ? defaults.MaxRunsInFlight : ClampToInt(policy.MaxRunsInFlight),
            RetryBackoff = backoff is null
                ? defaults.RetryBackoff
                : new RetryBackoff(
                    backoff.Initial.ToDomain($"{field}.retry_backoff.initial") ?? defaults.RetryBackoff.Initial,
                    backoff.Max.ToDomain($"{field}.retry_backoff.max") ?? defaults.RetryBackoff.Max,
                    backoff.Multiplier == 0 ? defaults.RetryBackoff.Multiplier : backoff.Multiplier),
        };
    }

    /// <summary>The effective policy as proto.</summary>
    public static Api.RuntimePolicy ToProto(this RuntimePolicy policy) => new()
    {
        QueueMode = policy.QueueMode.ToProto(),
        ConsumePoint = policy.ConsumePoint.ToProto(),
        MaxBatchPerRun = (uint)policy.MaxBatchPerRun,
        MaxAttempts = (uint)policy.MaxAttempts,
        MaxRunsInFlight = (uint)policy.MaxRunsInFlight,
        RetryBackoff = new Api.RetryBackoff
        {
            Initial = policy.RetryBackoff.Initial.ToProto(),
            Max = policy.RetryBackoff.Max.ToProto(),
            Multiplier = policy.RetryBackoff.Multiplier,
        },
    };

    /// <summary>A runtime as proto.</summary>
    public static Api.Runtime ToProto(this RuntimeInfo info)
    {
        var runtime = new Api.Runtime
        {
            RuntimeId = info.RuntimeId,
            State = info.State.ToProto(),
            Destination = info.Destination,
            Policy = info.Policy.ToProto(),
            QueueDepth = (ulong)info.QueueDepth,
            InFlight = (ulong)info.PhaseCounts.GetValueOrDefault(Core.Inputs.InputPhase.Staged),
            Quarantined = info.Quarantined,
            QuarantineReason = info.QuarantineReason ?? "",
            CreateTime = info.CreatedAt.ToProto(),
            UpdateTime = info.UpdatedAt.ToProto(),
        };
        runtime.Labels.Add(info.Labels.ToDictionary());
        runtime.PhaseCounts.AddRange(info.PhaseCounts
            .OrderBy(p => p.Key)
            .Select(p => new Api.PhaseCount { Phase = p.Key.ToProto(), Count = (ulong)p.Value }));
        return runtime;
    }

    /// <summary>GetRuntimeState's answer.</summary>
    public static Api.GetRuntimeStateResponse ToProto(this RuntimeStatus status) => new()
    {
        RuntimeId = status.RuntimeId,
        State = status.State.ToProto(),
        QueueDepth = (ulong)status.QueueDepth,
        InFlight = (ulong)status.InFlight,
        CurrentRunId = status.CurrentRunId ?? "",
        Accepting = !status.Retiring && status.QuarantineReason is null &&
            status.State is Core.Runtimes.RuntimeState.Idle or Core.Runtimes.RuntimeState.Attached or Core.Runtimes.RuntimeState.Running,
    };

    /// <summary>A proto map as a plain dictionary.</summary>
    public static Dictionary<string, string> ToDictionary(this MapField<string, string> map) =>
        map.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static Dictionary<string, string> ToDictionary(this IReadOnlyDictionary<string, string> map) =>
        map.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    // Out-of-range values still reach the domain's validation, which names the field and its limits.
    private static int ClampToInt(uint value) => value > int.MaxValue ? int.MaxValue : (int)value;
}
