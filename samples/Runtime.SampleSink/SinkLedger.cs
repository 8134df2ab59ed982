using System.Collections.Concurrent;
using Runtime.Contracts.V1;

namespace Runtime.SampleSink;

/// <summary>
/// What the sink has received: deliveries and items, with repeats recognised by (runtime id, input id) so a
/// redelivery after a failover is counted as a duplicate, not applied twice. Also counts the connections each
/// wire kind opened (tests assert "exactly one connection per wire" with these).
/// </summary>
/// <param name="maxOrderPerRuntime">How many input ids per runtime are kept, in first-seen order.</param>
public sealed class SinkLedger(int maxOrderPerRuntime = 10_000)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RuntimeRecord> _runtimes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _open = new(StringComparer.Ordinal);
    private long _deliveries;
    private long _refused;
    private long _dropped;

    /// <summary>Applies one delivery: records each item once. Returns how many items were repeats.</summary>
    public int Record(DeliverRequest request)
    {
        lock (_lock)
        {
            _deliveries++;
            if (!_runtimes.TryGetValue(request.RuntimeId, out var runtime))
            {
                runtime = new RuntimeRecord();
                _runtimes[request.RuntimeId] = runtime;
            }

            var duplicates = 0;
            foreach (var item in request.Items)
            {
                runtime.Received++;
                if (runtime.Seen.Add(item.InputId))
                {
                    if (runtime.Order.Count < maxOrderPerRuntime)
                    {
                        runtime.Order.Add(item.InputId);
                    }
                }
                else
                {
                    duplicates++;
                    runtime.Duplicates++;
                }
            }

            return duplicates;
        }
    }

    /// <summary>A delivery answered with a retry or a rejection (a fault or a fixed status), not applied.</summary>
    public void Refused() => Interlocked.Increment(ref _refused);

    /// <summary>A delivery whose connection was dropped on purpose after it was applied (a fault).</summary>
    public void Dropped() => Interlocked.Increment(ref _dropped);

    /// <summary>A connection (gRPC stream, WebSocket, HTTP request) of <paramref name="kind"/> opened.</summary>
    public void Opened(string kind)
    {
        _connections.AddOrUpdate(kind, 1, (_, n) => n + 1);
        _open.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }

    /// <summary>A connection of <paramref name="kind"/> closed.</summary>
    public void Closed(string kind) => _open.AddOrUpdate(kind, 0, (_, n) => n - 1);

    /// <summary>Connections of <paramref name="kind"/> opened so far.</summary>
    public long ConnectionsOpened(string kind) => _connections.GetValueOrDefault(kind);

    /// <summary>A consistent copy of every counter.</summary>
    public SinkStats Snapshot()
    {
        lock (_lock)
        {
            var runtimes = _runtimes.ToDictionary(
                r => r.Key,
                r => new RuntimeStats(r.Value.Received, r.Value.Seen.Count, r.Value.Duplicates, [.. r.Value.Order]),
                StringComparer.Ordinal);
            return new SinkStats(
                Interlocked.Read(ref _deliveries),
                runtimes.Values.Sum(r => r.Received),
                runtimes.Values.Sum(r => r.Unique),
                runtimes.Values.Sum(r => r.Duplicates),
                Interlocked.Read(ref _refused),
                Interlocked.Read(ref _dropped),
                new Dictionary<string, long>(_connections),
                new Dictionary<string, long>(_open),
                runtimes);
        }
    }

    /// <summary>Forgets everything received (connection counters included).</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _runtimes.Clear();
            _connections.Clear();
            _deliveries = 0;
            Interlocked.Exchange(ref _refused, 0);
            Interlocked.Exchange(ref _dropped, 0);
        }
    }

    private sealed class RuntimeRecord
    {
        public long Received { get; set; }

        public long Duplicates { get; set; }

        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

        public List<string> Order { get; } = [];
    }
}

/// <summary>The sink's counters, as <c>GET /stats</c> returns them.</summary>
/// <param name="Deliveries">Deliveries applied (each carries one run's items).</param>
/// <param name="Received">Items received, repeats included.</param>
/// <param name="Unique">Distinct (runtime, input id) pairs.</param>
/// <param name="Duplicates">Repeats recognised and dropped.</param>
/// <param name="Refused">Deliveries answered with retry or rejection instead of being applied.</param>
/// <param name="Dropped">Connections dropped on purpose after applying a delivery.</param>
/// <param name="Connections">Connections opened so far, by kind (<c>grpc</c>, <c>websocket</c>, <c>http</c>).</param>
/// <param name="OpenConnections">Connections open now, by kind.</param>
/// <param name="Runtimes">Per runtime counters and input ids in first-seen order.</param>
public sealed record SinkStats(
    long Deliveries,
    long Received,
    long Unique,
    long Duplicates,
    long Refused,
    long Dropped,
    IReadOnlyDictionary<string, long> Connections,
    IReadOnlyDictionary<string, long> OpenConnections,
    IReadOnlyDictionary<string, RuntimeStats> Runtimes);

/// <summary>What one runtime sent.</summary>
/// <param name="Received">Items received, repeats included.</param>
/// <param name="Unique">Distinct input ids.</param>
/// <param name="Duplicates">Repeats.</param>
/// <param name="Order">Input ids in the order first seen (bounded).</param>
public sealed record RuntimeStats(long Received, long Unique, long Duplicates, IReadOnlyList<string> Order);
