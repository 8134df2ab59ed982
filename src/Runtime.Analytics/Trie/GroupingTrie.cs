using System.Runtime.CompilerServices;
using Runtime.Analytics.Pipeline;
using Runtime.Observation.Events;

namespace Runtime.Analytics.Trie;

/// <summary>
/// Groups events by an ordered list of fields and weighs them by count, bytes or latency. Reconfiguring or resetting
/// starts a fresh baseline under a new version. Snapshots keep the heaviest children of every node and merge the rest
/// into one "(other)" node, so the sums at every level still equal the totals. The number of nodes is bounded: past
/// the limit new values are counted under "(other)".
/// </summary>
public sealed class GroupingTrie(TimeProvider time, int maxNodes = 100_000) : IAnalyticsConsumer
{
    /// <summary>The name of merged siblings.</summary>
    public const string Other = "(other)";

    private readonly Lock _lock = new();
    private TrieConfiguration _configuration = TrieConfiguration.Default;
    private TrieField[] _fields = [.. TrieConfiguration.Default.Fields];
    private Node _root = new();
    private long _version = 1;
    private int _nodes;
    private long _lastSequence;
    private DateTimeOffset _since = time.GetUtcNow();

    /// <summary>The configuration in force.</summary>
    public TrieConfiguration Configuration
    {
        get
        {
            lock (_lock)
            {
                return _configuration;
            }
        }
    }

    /// <summary>Installs a new configuration and starts a fresh baseline; returns the new version.</summary>
    public long Configure(TrieConfiguration configuration)
    {
        lock (_lock)
        {
            _configuration = configuration;
            _fields = [.. configuration.Fields];
            return StartBaseline();
        }
    }

    /// <summary>Starts a fresh baseline with the same configuration; returns the new version.</summary>
    public long Reset()
    {
        lock (_lock)
        {
            return StartBaseline();
        }
    }

    /// <summary>Adds one event.</summary>
    public void Observe(StreamedEvent streamed, long filterEpoch) => Observe(new ReadOnlySpan<StreamedEvent>(in streamed), filterEpoch);

    /// <inheritdoc />
    public void Observe(ReadOnlySpan<StreamedEvent> events, long filterEpoch)
    {
        lock (_lock)
        {
            foreach (var streamed in events)
            {
                Add(streamed);
            }
        }
    }

    /// <summary>A snapshot keeping at most <paramref name="keepTop"/> children per node (0: all).</summary>
    public TrieSnapshot GetSnapshot(int keepTop = 0)
    {
        lock (_lock)
        {
            return new TrieSnapshot
            {
                Version = _version,
                Configuration = _configuration,
                Since = _since,
                Time = time.GetUtcNow(),
                LastSequence = _lastSequence,
                Root = View("all", _root, keepTop),
            };
        }
    }

    private static TrieNode View(string name, Node node, int keepTop)
    {
        var ordered = node.Children
            .OrderByDescending(c => c.Value.Weight).ThenByDescending(c => c.Value.Count).ThenBy(c => c.Key, StringComparer.Ordinal)
            .ToList();
        if (keepTop <= 0 || ordered.Count <= keepTop)
        {
            return new TrieNode(name, node.Weight, node.Count, [.. ordered.Select(c => View(c.Key, c.Value, keepTop))]);
        }

        var kept = ordered.Take(keepTop).Select(c => View(c.Key, c.Value, keepTop)).ToList();
        var rest = ordered.Skip(keepTop).ToList();
        kept.Add(new TrieNode(Other, rest.Sum(c => c.Value.Weight), rest.Sum(c => c.Value.Count), []));
        return new TrieNode(name, node.Weight, node.Count, kept);
    }

    private void Add(StreamedEvent streamed)
    {
        long weight;
        switch (_configuration.Weight)
        {
            case TrieWeight.Bytes:
                weight = streamed.Event.Bytes;
                break;
            case TrieWeight.Latency when streamed.Event.Latency is { } latency:
                weight = (long)latency.TotalMicroseconds;
                break;
            case TrieWeight.Latency:
                return;
            default:
                weight = 1;
                break;
        }

        _lastSequence = streamed.Sequence;
        var node = _root;
        node.Add(weight);
        foreach (var field in _fields)
        {
            node = Step(node, field, streamed);
            node.Add(weight);
        }
    }

    /// <summary>The child of <paramref name="parent"/> for the event's value of <paramref name="field"/>.</summary>
    private Node Step(Node parent, TrieField field, StreamedEvent streamed)
    {
        var e = streamed.Event;
        return field.Kind switch
        {
            TrieFieldKind.Runtime => Child(parent, e.RuntimeId),
            TrieFieldKind.Destination => Child(parent, e.Destination),
            TrieFieldKind.Kind => Symbol(parent, e.Kind),
            TrieFieldKind.Phase => e.ToPhase is { } phase ? Symbol(parent, phase) : Child(parent, null),
            TrieFieldKind.PayloadType => e.PayloadType is { } payloadType ? Symbol(parent, payloadType) : Child(parent, null),
            _ => Child(parent, streamed.GetLabel(field.LabelKey!)),
        };
    }

    /// <summary>
    /// Enum levels look their child up by the value's number: no name is formatted or hashed per event, only once
    /// per node and value.
    /// </summary>
    private Node Symbol<T>(Node parent, T value)
        where T : struct, Enum
    {
        var slot = Unsafe.SizeOf<T>() == sizeof(int) ? Unsafe.As<T, int>(ref value) : -1;
        if ((uint)slot < Node.MaxSymbolSlots && parent.Symbols is { } symbols && slot < symbols.Length && symbols[slot] is { } known)
        {
            return known;
        }

        var child = Child(parent, value.ToString());
        if ((uint)slot < Node.MaxSymbolSlots)
        {
            if (parent.Symbols is null || slot >= parent.Symbols.Length)
            {
                var grown = new Node?[Math.Max(slot + 1, 16)];
                parent.Symbols?.CopyTo(grown, 0);
                parent.Symbols = grown;
            }

            parent.Symbols[slot] = child;
        }

        return child;
    }

    private long StartBaseline()
    {
        _root = new Node();
        _nodes = 0;
        _since = time.GetUtcNow();
        return ++_version;
    }

    private Node Child(Node parent, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            value = TrieField.None;
        }

        if (parent.Children.TryGetValue(value, out var child))
        {
            return child;
        }

        if (_nodes >= maxNodes)
        {
            value = Other;
            if (parent.Children.TryGetValue(value, out child))
            {
                return child;
            }
        }

        child = new Node();
        parent.Children[value] = child;
        _nodes++;
        return child;
    }

    private sealed class Node
    {
        /// <summary>Enum values above this are looked up by name (they are not real values of the enums).</summary>
        public const int MaxSymbolSlots = 64;

        public Dictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);

        /// <summary>A shortcut into <see cref="Children"/> for enum levels, indexed by the value's number.</summary>
        public Node?[]? Symbols { get; set; }

        public long Weight { get; private set; }

        public long Count { get; private set; }

        public void Add(long weight)
        {
            Weight += weight;
            Count++;
        }
    }
}
