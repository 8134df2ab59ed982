using Runtime.Core.Delivery;
using Runtime.Core.Errors;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;

namespace Runtime.Core.Hosting;

/// <summary>One input as a caller submits it.</summary>
public sealed record InputSubmission
{
    /// <summary>Caller-chosen id (validated like a runtime id); empty to let the server assign a sortable one.</summary>
    public string InputId { get; init; } = "";

    /// <summary>Deduplicates retries: the same key and payload answer DEDUPLICATED with the first input.</summary>
    public string IdempotencyKey { get; init; } = "";

    /// <summary>Application-defined kind.</summary>
    public string Kind { get; init; } = "";

    /// <summary>The bytes delivered.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>The payload's media type.</summary>
    public string ContentType { get; init; } = "";

    /// <summary>Delivered with the payload.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The lane; RPC_SIGNAL jumps the queue.</summary>
    public PayloadType PayloadType { get; init; } = PayloadType.RpcReliable;

    /// <summary>Higher first, in PRIORITY queue mode.</summary>
    public int Priority { get; init; }

    /// <summary>In SUPERSEDE mode, ends older queued inputs with the same key.</summary>
    public string SupersessionKey { get; init; } = "";

    /// <summary>In COALESCE mode, merges into a queued input with the same key.</summary>
    public string CoalesceKey { get; init; } = "";

    /// <summary>Overrides the runtime's consume point for this input.</summary>
    public ConsumePoint? ConsumePoint { get; init; }

    /// <summary>Overrides the runtime's max attempts for this input.</summary>
    public int? MaxAttempts { get; init; }
}

/// <summary>What happened to a submitted input.</summary>
public enum AcceptOutcome
{
    /// <summary>Recorded durably (on disk before this answer).</summary>
    Accepted,

    /// <summary>Its idempotency key was seen before with the same payload: the existing input is meant.</summary>
    Deduplicated,

    /// <summary>Not recorded; <see cref="AcceptResult.Reason"/> says why.</summary>
    Rejected,
}

/// <summary>A failure of one input in a batch, with everything a google.rpc.Status needs.</summary>
public sealed record AcceptFailure(
    ErrorKind Kind,
    string Reason,
    string Message,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<FieldViolation> Violations)
{
    /// <summary>Captures a domain failure.</summary>
    public static AcceptFailure From(RuntimeException error) =>
        new(error.Kind, error.Reason, error.Message, error.Metadata, error.Violations);

    /// <summary>The failure as the exception the single-input call throws.</summary>
    public RuntimeException ToException() => new(Kind, Reason, Message, Metadata, Violations);
}

/// <summary>The answer to one submitted input.</summary>
public sealed record AcceptResult
{
    /// <summary>Accepted, deduplicated or rejected.</summary>
    public required AcceptOutcome Outcome { get; init; }

    /// <summary>The input's id (the new one, or the existing one when deduplicated); empty when rejected.</summary>
    public string InputId { get; init; } = "";

    /// <summary>The phase accepting gave it (QUEUED, or COALESCED, or CONSUMED under ON_ACCEPT); a run may already have taken it further.</summary>
    public InputPhase? Phase { get; init; }

    /// <summary>The input this one relates to: the original when deduplicated, the survivor when coalesced.</summary>
    public string ExistingInputId { get; init; } = "";

    /// <summary>Why it was rejected (for example RUNTIME_RETIRED), or a note on the outcome.</summary>
    public string Reason { get; init; } = "";

    /// <summary>Set when the input failed validation or a quota in a batch (the single call throws instead).</summary>
    public AcceptFailure? Failure { get; init; }
}

/// <summary>One transition in an input's history.</summary>
public sealed record InputTransition(DateTimeOffset Time, InputPhase? From, InputPhase To, string Reason);

/// <summary>Everything the ledger knows about one input (GetInputState).</summary>
public sealed record InputState
{
    /// <summary>Its id.</summary>
    public required string InputId { get; init; }

    /// <summary>Its runtime.</summary>
    public required string RuntimeId { get; init; }

    /// <summary>Its position in the runtime's accept order.</summary>
    public required long Position { get; init; }

    /// <summary>Application-defined kind.</summary>
    public required string Kind { get; init; }

    /// <summary>The payload.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>The payload's media type.</summary>
    public required string ContentType { get; init; }

    /// <summary>Its headers.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>Its idempotency key (empty for none).</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Its supersession key (empty for none).</summary>
    public required string SupersessionKey { get; init; }

    /// <summary>Its coalesce key (empty for none).</summary>
    public required string CoalesceKey { get; init; }

    /// <summary>Its priority.</summary>
    public required int Priority { get; init; }

    /// <summary>Its lane.</summary>
    public required PayloadType PayloadType { get; init; }

    /// <summary>Its phase now.</summary>
    public required InputPhase Phase { get; init; }

    /// <summary>Why it was abandoned (None unless ABANDONED).</summary>
    public required AbandonReason AbandonReason { get; init; }

    /// <summary>Delivery attempts started.</summary>
    public required int AttemptCount { get; init; }

    /// <summary>How many recoveries it went through.</summary>
    public required int RecoveryCount { get; init; }

    /// <summary>The last run it was part of.</summary>
    public required string LastRunId { get; init; }

    /// <summary>The boundary receipt sequence that applied it (0 before).</summary>
    public required long LastBoundarySequence { get; init; }

    /// <summary>The last delivery error.</summary>
    public required string LastError { get; init; }

    /// <summary>When the next attempt is due, while it waits for a retry.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Every transition, oldest first.</summary>
    public required IReadOnlyList<InputTransition> History { get; init; }

    /// <summary>When it was accepted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
