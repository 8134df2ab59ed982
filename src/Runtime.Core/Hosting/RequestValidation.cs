using Runtime.Core.Errors;
using Runtime.Core.Policies;

namespace Runtime.Core.Hosting;

/// <summary>
/// Checks requests against the limits before anything is written. Field names are the proto request paths
/// (snake_case) so clients can point at the offending field.
/// </summary>
public sealed class RequestValidation(RuntimeLimits limits)
{
    /// <summary>The reason carried by an invalid runtime id.</summary>
    public const string InvalidRuntimeId = "INVALID_RUNTIME_ID";

    /// <summary>Whether <paramref name="id"/> is 1–128 characters of <c>[A-Za-z0-9._:-]</c>.</summary>
    public static bool IsValidId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 128)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws INVALID_ARGUMENT (field <c>runtime_id</c>) unless the id is well formed.</summary>
    public static void RuntimeId(string? runtimeId)
    {
        if (!IsValidId(runtimeId))
        {
            throw Fail.InvalidField("runtime_id", "must be 1-128 characters of [A-Za-z0-9._:-]", InvalidRuntimeId);
        }
    }

    /// <summary>Validates a create request.</summary>
    public void Spec(RuntimeSpec spec)
    {
        var v = new Validator();
        v.Require(IsValidId(spec.RuntimeId), "runtime_id", "must be 1-128 characters of [A-Za-z0-9._:-]");
        Destination(v, spec.Destination, "destination");
        Policy(v, spec.Policy, "policy");
        Labels(v, spec.Labels, "labels");
        v.ThrowIfInvalid();
    }

    /// <summary>Records violations of a destination name.</summary>
    public void Destination(Validator v, string destination, string field) =>
        v.Require(destination.Length <= limits.MaxDestinationLength && !HasControl(destination), field,
            $"must be at most {limits.MaxDestinationLength} characters without control characters");

    /// <summary>Records violations of a policy.</summary>
    public void Policy(Validator v, RuntimePolicy policy, string field)
    {
        v.Require(Enum.IsDefined(policy.QueueMode), $"{field}.queue_mode", "unknown queue mode");
        v.Require(Enum.IsDefined(policy.ConsumePoint), $"{field}.consume_point", "unknown consume point");
        v.Require(policy.MaxBatchPerRun >= 1 && policy.MaxBatchPerRun <= limits.MaxBatchPerRun,
            $"{field}.max_batch_per_run", $"must be between 1 and {limits.MaxBatchPerRun}");
        v.Require(policy.MaxAttempts >= 1 && policy.MaxAttempts <= limits.MaxAttempts,
            $"{field}.max_attempts", $"must be between 1 and {limits.MaxAttempts}");
        v.Require(policy.MaxRunsInFlight >= 1 && policy.MaxRunsInFlight <= limits.MaxRunsInFlight,
            $"{field}.max_runs_in_flight", $"must be between 1 and {limits.MaxRunsInFlight}");
        var backoff = policy.RetryBackoff;
        v.Require(backoff.Initial >= TimeSpan.Zero && backoff.Initial <= limits.MaxRetryBackoff, $"{field}.retry_backoff.initial",
            $"must be between 0 and {limits.MaxRetryBackoff.TotalSeconds}s");
        v.Require(backoff.Max >= backoff.Initial && backoff.Max <= limits.MaxRetryBackoff, $"{field}.retry_backoff.max",
            $"must be at least the initial backoff and at most {limits.MaxRetryBackoff.TotalSeconds}s");
        v.Require(backoff.Multiplier >= 1.0 && backoff.Multiplier <= limits.MaxRetryMultiplier, $"{field}.retry_backoff.multiplier",
            $"must be a number between 1 and {limits.MaxRetryMultiplier}");
    }

    /// <summary>Records violations of a label set (names like Kubernetes label keys).</summary>
    public void Labels(Validator v, IReadOnlyDictionary<string, string> labels, string field)
    {
        v.Require(labels.Count <= limits.MaxLabels, field, $"at most {limits.MaxLabels} labels");
        foreach (var (name, value) in labels)
        {
            v.Require(IsLabelName(name), $"{field}[{name}]",
                $"label names are 1-{limits.MaxLabelNameLength} characters of [A-Za-z0-9._/-]");
            v.Require(value.Length <= limits.MaxLabelValueLength && !HasControl(value), $"{field}[{name}]",
                $"label values are at most {limits.MaxLabelValueLength} characters without control characters");
        }
    }

    /// <summary>Validates one submitted input; <paramref name="field"/> is its request path (usually <c>input</c>).</summary>
    public void Input(InputSubmission input, string field = "input")
    {
        if (IsClean(input))
        {
            return; // the common case costs no allocation; the detailed pass below names every bad field
        }

        var v = new Validator();
        if (input.InputId.Length > 0)
        {
            v.Require(IsValidId(input.InputId), $"{field}.input_id", "must be 1-128 characters of [A-Za-z0-9._:-]");
        }

        v.Require(input.Payload.Length <= limits.MaxPayloadBytes, $"{field}.payload",
            $"must be at most {limits.MaxPayloadBytes} bytes");
        Text(v, input.Kind, limits.MaxKindLength, $"{field}.kind");
        Text(v, input.ContentType, limits.MaxKindLength, $"{field}.content_type");
        Text(v, input.IdempotencyKey, limits.MaxKeyLength, $"{field}.idempotency_key");
        Text(v, input.SupersessionKey, limits.MaxKeyLength, $"{field}.supersession_key");
        Text(v, input.CoalesceKey, limits.MaxKeyLength, $"{field}.coalesce_key");
        v.Require(Enum.IsDefined(input.PayloadType), $"{field}.payload_type", "unknown payload type");
        if (input.ConsumePoint is { } point)
        {
            v.Require(Enum.IsDefined(point), $"{field}.consume_point", "unknown consume point");
        }

        if (input.MaxAttempts is { } attempts)
        {
            v.Require(attempts >= 1 && attempts <= limits.MaxAttempts, $"{field}.max_attempts",
                $"must be between 1 and {limits.MaxAttempts}");
        }

        v.Require(input.Headers.Count <= limits.MaxHeaders, $"{field}.headers", $"at most {limits.MaxHeaders} headers");
        foreach (var (name, value) in input.Headers)
        {
            v.Require(name.Length > 0 && name.Length <= limits.MaxHeaderNameLength && !HasControl(name),
                $"{field}.headers", $"header names are 1-{limits.MaxHeaderNameLength} characters without control characters");
            v.Require(value.Length <= limits.MaxHeaderValueLength, $"{field}.headers",
                $"header values are at most {limits.MaxHeaderValueLength} characters");
        }

        v.ThrowIfInvalid();
    }

    private bool IsClean(InputSubmission input)
    {
        if ((input.InputId.Length > 0 && !IsValidId(input.InputId)) ||
            input.Payload.Length > limits.MaxPayloadBytes ||
            !CleanText(input.Kind, limits.MaxKindLength) || !CleanText(input.ContentType, limits.MaxKindLength) ||
            !CleanText(input.IdempotencyKey, limits.MaxKeyLength) || !CleanText(input.SupersessionKey, limits.MaxKeyLength) ||
            !CleanText(input.CoalesceKey, limits.MaxKeyLength) || !Enum.IsDefined(input.PayloadType) ||
            (input.ConsumePoint is { } point && !Enum.IsDefined(point)) ||
            (input.MaxAttempts is { } attempts && (attempts < 1 || attempts > limits.MaxAttempts)) ||
            input.Headers.Count > limits.MaxHeaders)
        {
            return false;
        }

        if (input.Headers.Count > 0)
        {
            foreach (var (name, value) in input.Headers)
            {
                if (name.Length == 0 || name.Length > limits.MaxHeaderNameLength || HasControl(name) ||
                    value.Length > limits.MaxHeaderValueLength)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool CleanText(string value, int max) => value.Length == 0 || (value.Length <= max && !HasControl(value));

    /// <summary>Resolves a requested page size to the one used.</summary>
    public int PageSize(int requested, string field = "page_size") =>
        requested switch
        {
            0 => limits.DefaultPageSize,
            < 0 => throw Fail.InvalidField(field, "must not be negative"),
            _ => Math.Min(requested, limits.MaxPageSize),
        };

    private static void Text(Validator v, string value, int max, string field) =>
        v.Require(value.Length <= max && !HasControl(value), field,
            $"must be at most {max} characters without control characters");

    private static bool HasControl(string value) =>
        value.AsSpan().ContainsAnyInRange('\u0000', '\u001f') || value.Contains('\u007f', StringComparison.Ordinal);

    private bool IsLabelName(string name) =>
        name.Length > 0 && name.Length <= limits.MaxLabelNameLength &&
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '/' or '-');
}
