using Runtime.Core.Delivery;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;
using Runtime.Core.Storage;

namespace Runtime.Core.Driver;

/// <summary>
/// A runtime's non-terminal inputs in memory: by id, by idempotency key, the delivery queue in its order, and the
/// coalesce / supersession indexes. Terminal inputs are dropped (they are read back from the store). Collections are
/// created on first use so an idle runtime costs little.
/// </summary>
internal sealed class LiveInputs(QueueMode mode)
{
    private readonly Dictionary<string, InputRecord> _byId = new(StringComparer.Ordinal);
    private SortedSet<InputRecord>? _queue;
    private Dictionary<string, InputRecord>? _byIdempotencyKey;
    private Dictionary<string, InputRecord>? _coalesceTargets;
    private Dictionary<string, InputRecord>? _latestBySupersessionKey;

    // Every tracked input in position order (inputs arrive in that order); terminal ones are dropped from the front
    // lazily, so the lowest live position costs amortised constant time.
    private readonly Queue<InputRecord> _byPosition = new();

    public int Count => _byId.Count;

    public int QueuedCount => _queue?.Count ?? 0;

    /// <summary>Queued inputs in delivery order: RPC_SIGNAL first, then (PRIORITY mode) higher priority, then accept order.</summary>
    public IEnumerable<InputRecord> Queue => _queue ?? Enumerable.Empty<InputRecord>();

    public IEnumerable<InputRecord> All => _byId.Values;

    public InputRecord? FindById(string inputId) => _byId.GetValueOrDefault(inputId);

    public InputRecord? FindByIdempotencyKey(string key) => _byIdempotencyKey?.GetValueOrDefault(key);

    /// <summary>The queued input a newcomer with this coalesce key merges into (COALESCE mode).</summary>
    public InputRecord? CoalesceTarget(string key) => _coalesceTargets?.GetValueOrDefault(key);

    /// <summary>The newest non-terminal input with this supersession key (SUPERSEDE mode).</summary>
    public InputRecord? LatestWithSupersessionKey(string key) => _latestBySupersessionKey?.GetValueOrDefault(key);

    /// <summary>The lowest position of a tracked input, or null when none is tracked.</summary>
    public long? LowestPosition()
    {
        while (_byPosition.TryPeek(out var first))
        {
            if (_byId.TryGetValue(first.InputId, out var current) && ReferenceEquals(current, first))
            {
                return first.Position;
            }

            _byPosition.Dequeue();
        }

        return null;
    }

    /// <summary>Tracks a non-terminal input (new or loaded, in position order); queued ones join the queue.</summary>
    public void Add(InputRecord input)
    {
        _byId[input.InputId] = input;
        _byPosition.Enqueue(input);
        if (input.IdempotencyKey.Length > 0)
        {
            (_byIdempotencyKey ??= new(StringComparer.Ordinal))[input.IdempotencyKey] = input;
        }

        if (mode == QueueMode.Supersede && input.SupersessionKey.Length > 0 &&
            (LatestWithSupersessionKey(input.SupersessionKey) is not { } latest || latest.Position < input.Position))
        {
            (_latestBySupersessionKey ??= new(StringComparer.Ordinal))[input.SupersessionKey] = input;
        }

        if (input.Phase == InputPhase.Queued)
        {
            Enqueue(input);
        }
    }

    /// <summary>Forgets an input that became terminal.</summary>
    public void Remove(InputRecord input)
    {
        _byId.Remove(input.InputId);
        _queue?.Remove(input);
        RemoveIfSame(_byIdempotencyKey, input.IdempotencyKey, input);
        RemoveIfSame(_coalesceTargets, input.CoalesceKey, input);
        RemoveIfSame(_latestBySupersessionKey, input.SupersessionKey, input);
    }

    public void Enqueue(InputRecord input)
    {
        (_queue ??= new SortedSet<InputRecord>(new DeliveryOrder(mode == QueueMode.Priority))).Add(input);
        if (mode == QueueMode.Coalesce && input.CoalesceKey.Length > 0 && CoalesceTarget(input.CoalesceKey) is null)
        {
            (_coalesceTargets ??= new(StringComparer.Ordinal))[input.CoalesceKey] = input;
        }
    }

    public void Dequeue(InputRecord input)
    {
        _queue?.Remove(input);
        RemoveIfSame(_coalesceTargets, input.CoalesceKey, input);
    }

    private static void RemoveIfSame(Dictionary<string, InputRecord>? map, string key, InputRecord input)
    {
        if (map is not null && key.Length > 0 && map.TryGetValue(key, out var current) && ReferenceEquals(current, input))
        {
            map.Remove(key);
        }
    }

    private sealed class DeliveryOrder(bool byPriority) : IComparer<InputRecord>
    {
        public int Compare(InputRecord? x, InputRecord? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            var lane = Lane(x!).CompareTo(Lane(y!));
            if (lane != 0)
            {
                return lane;
            }

            if (byPriority && x!.Priority != y!.Priority)
            {
                return y.Priority.CompareTo(x.Priority);
            }

            return x!.Position.CompareTo(y!.Position);
        }

        private static int Lane(InputRecord input) => input.PayloadType == PayloadType.RpcSignal ? 0 : 1;
    }
}
