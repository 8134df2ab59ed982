using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Runtime.Core.Errors;
using Runtime.Core.Inputs;
using Runtime.Core.Storage;

namespace Runtime.Core.Hosting;

/// <summary>Turns ledger records into the facade's plain records, and page positions into opaque tokens.</summary>
internal static class RecordMapping
{
    public static RuntimeInfo ToInfo(RuntimeRecord runtime, string? quarantine) => new()
    {
        RuntimeId = runtime.RuntimeId,
        State = runtime.State,
        Destination = runtime.Destination,
        Policy = runtime.Policy,
        Labels = runtime.Labels,
        PhaseCounts = InputPhaseMachine.All.ToDictionary(phase => phase, phase => runtime.PhaseCounts[(int)phase]),
        Retiring = runtime.Retiring,
        QuarantineReason = quarantine,
        LastBoundarySequence = runtime.BoundarySequence,
        OwnerEpoch = runtime.OwnerEpoch,
        LedgerSequence = runtime.LedgerSequence,
        CreatedAt = runtime.CreatedAt,
        UpdatedAt = runtime.UpdatedAt,
    };

    public static InputState ToState(string runtimeId, InputRecord input) => new()
    {
        InputId = input.InputId,
        RuntimeId = runtimeId,
        Position = input.Position,
        Kind = input.Kind,
        Payload = input.Payload,
        ContentType = input.ContentType,
        Headers = input.Headers,
        IdempotencyKey = input.IdempotencyKey,
        SupersessionKey = input.SupersessionKey,
        CoalesceKey = input.CoalesceKey,
        Priority = input.Priority,
        PayloadType = input.PayloadType,
        Phase = input.Phase,
        AbandonReason = input.AbandonReason,
        AttemptCount = input.AttemptCount,
        RecoveryCount = input.RecoveryCount,
        LastRunId = input.LastRunId,
        LastBoundarySequence = input.LastBoundarySequence,
        LastError = input.LastError,
        NextAttemptAt = input.NextAttemptAt,
        History = TransitionLog.Parse(input.History),
        CreatedAt = input.CreatedAt,
        UpdatedAt = input.UpdatedAt,
    };

    public static BoundaryReceipt ToReceipt(string runtimeId, ReceiptRecord receipt) =>
        new(runtimeId, receipt.RunId, receipt.Sequence, receipt.InputIds, receipt.Digest, receipt.Time);

    /// <summary>An opaque token for "continue after <paramref name="position"/>" ("r:" runtimes, "i:" inputs).</summary>
    public static string Token(string scope, string position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{scope}:{position}"));

    /// <summary>Reads a token of <paramref name="scope"/>; empty means from the start. INVALID_ARGUMENT otherwise.</summary>
    public static string ReadToken(string scope, string token)
    {
        if (token.Length == 0)
        {
            return "";
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (text.StartsWith(scope + ":", StringComparison.Ordinal))
            {
                return text[(scope.Length + 1)..];
            }
        }
        catch (FormatException)
        {
            // Falls through to the field violation below.
        }

        throw Fail.InvalidField("page_token", "is not a token this list returned", "INVALID_PAGE_TOKEN");
    }

    public static long ReadPositionToken(string token)
    {
        var text = ReadToken("i", token);
        if (text.Length == 0)
        {
            return 0;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var position) && position >= 0
            ? position
            : throw Fail.InvalidField("page_token", "is not a token this list returned", "INVALID_PAGE_TOKEN");
    }
}
