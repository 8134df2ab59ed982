using Runtime.Core.Events;
using Runtime.Core.Storage;

namespace Runtime.Core.Driver;

/// <summary>
/// What one actor turn changed: it becomes one ledger append, and its events and follow-ups happen only after the
/// commit.
/// </summary>
internal sealed class Turn(string kind, DateTimeOffset now)
{
    private HashSet<InputRecord>? _updated;
    private Dictionary<string, InputRecord>? _newByKey;
    private Dictionary<string, InputRecord>? _newById;

    public string Kind { get; } = kind;

    /// <summary>The one timestamp of everything this turn does.</summary>
    public DateTimeOffset Now { get; } = now;

    public bool CreatesRuntime { get; set; }

    public bool RuntimeChanged { get; set; }

    public List<InputRecord> Inserted { get; } = [];

    public List<ReceiptRecord> Receipts { get; } = [];

    public List<RunRecord> Runs { get; } = [];

    /// <summary>The turn's events: written with it, their sequences given at commit.</summary>
    public List<RuntimeEvent> Events { get; } = [];

    /// <summary>What the turn was written as (null when it changed nothing); its event sequences are known once committed.</summary>
    public LedgerAppend? Append { get; set; }

    public List<Action> AfterCommit { get; } = [];

    /// <summary>Who to tell when the turn's append fails (its changes never became durable).</summary>
    public List<Action<Exception>> OnFailure { get; } = [];

    public IReadOnlyList<InputRecord> Updated => _updated is null ? [] : [.. _updated];

    public bool HasChanges =>
        RuntimeChanged || Inserted.Count > 0 || _updated is { Count: > 0 } || Receipts.Count > 0 || Runs.Count > 0 || Events.Count > 0;

    /// <summary>Remembers a new input so later inputs of the same turn see its id and idempotency key.</summary>
    public void Remember(InputRecord input, bool clientChosenId)
    {
        if (input.IdempotencyKey.Length > 0)
        {
            (_newByKey ??= new(StringComparer.Ordinal))[input.IdempotencyKey] = input;
        }

        if (clientChosenId)
        {
            (_newById ??= new(StringComparer.Ordinal))[input.InputId] = input;
        }
    }

    public InputRecord? NewWithKey(string key) => _newByKey?.GetValueOrDefault(key);

    public InputRecord? NewWithId(string inputId) => _newById?.GetValueOrDefault(inputId);

    /// <summary>
    /// Notes that an input changed. New inputs are written whole, and inputs on the common path are derived from their
    /// runs, so only inserted inputs off that path are written again.
    /// </summary>
    public void Touch(InputRecord input)
    {
        RuntimeChanged = true;
        if (!input.IsNew && input.OffCommonPath)
        {
            (_updated ??= new HashSet<InputRecord>(ReferenceEqualityComparer.Instance)).Add(input);
        }
    }
}
