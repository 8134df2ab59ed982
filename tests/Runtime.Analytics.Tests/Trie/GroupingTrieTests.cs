using Runtime.Analytics.Trie;
using Runtime.Core.Errors;
using Runtime.Core.Inputs;

namespace Runtime.Analytics.Tests.Trie;

public sealed class GroupingTrieTests
{
    [Fact]
    public void Sums_at_every_level_equal_the_totals_even_when_pruned()
    {
        var trie = new GroupingTrie(TimeProvider.System);
        trie.Configure(TrieConfiguration.Parse(["runtime", "phase", "label:tenant"], TrieWeight.Bytes));
        var random = new Random(7);
        long total = 0;
        for (var i = 1; i <= 2_000; i++)
        {
            var bytes = random.Next(1, 500);
            total += bytes;
            trie.Observe(
                Events.Input(
                    i,
                    $"r{random.Next(20)}",
                    random.Next(2) == 0 ? InputPhase.Accepted : InputPhase.Consumed,
                    bytes: bytes,
                    labels: random.Next(3) == 0 ? null : new Dictionary<string, string> { ["tenant"] = $"t{random.Next(5)}" }),
                0);
        }

        foreach (var keepTop in new[] { 0, 3, 1 })
        {
            var root = trie.GetSnapshot(keepTop).Root;
            Assert.Equal(total, root.Weight);
            Assert.Equal(2_000, root.Count);
            AssertSums(root, keepTop);
        }
    }

    [Fact]
    public void Pruning_keeps_the_heaviest_branches_and_merges_the_rest()
    {
        var trie = new GroupingTrie(TimeProvider.System);
        trie.Configure(TrieConfiguration.Parse(["runtime"], TrieWeight.Count));
        var sequence = 0L;
        foreach (var (runtime, count) in new[] { ("small", 1), ("big", 10), ("medium", 5), ("tiny", 2) })
        {
            for (var i = 0; i < count; i++)
            {
                trie.Observe(Events.Input(++sequence, runtime, InputPhase.Accepted), 0);
            }
        }

        var children = trie.GetSnapshot(keepTop: 2).Root.Children;

        Assert.Equal(["big", "medium", GroupingTrie.Other], children.Select(c => c.Name));
        Assert.Equal(3, children[2].Weight);
    }

    [Fact]
    public void Reconfiguring_or_resetting_starts_a_fresh_baseline_under_a_new_version()
    {
        var trie = new GroupingTrie(TimeProvider.System);
        trie.Observe(Events.Input(1, "a", InputPhase.Accepted), 0);
        var before = trie.GetSnapshot();

        var reconfigured = trie.Configure(TrieConfiguration.Parse(["destination"], TrieWeight.Latency));
        var afterConfigure = trie.GetSnapshot();
        trie.Observe(Events.Input(2, "a", InputPhase.Accepted), 0);
        trie.Observe(Events.Input(3, "a", InputPhase.Consumed, latency: TimeSpan.FromMilliseconds(2), destination: "d"), 0);
        var withLatency = trie.GetSnapshot();
        var reset = trie.Reset();

        Assert.Equal(1, before.Root.Count);
        Assert.Equal(before.Version + 1, reconfigured);
        Assert.Equal(0, afterConfigure.Root.Count);
        Assert.Equal(1, withLatency.Root.Count); // the accepted input has no latency
        Assert.Equal(2_000, withLatency.Root.Weight);
        Assert.Equal("d", Assert.Single(withLatency.Root.Children).Name);
        Assert.Equal(reconfigured + 1, reset);
        Assert.Equal(0, trie.GetSnapshot().Root.Weight);
        Assert.Equal(TrieWeight.Latency, trie.Configuration.Weight);
    }

    [Fact]
    public void Folded_stacks_list_each_leaf_path_with_its_weight()
    {
        var trie = new GroupingTrie(TimeProvider.System);
        trie.Configure(TrieConfiguration.Parse(["runtime", "destination"], TrieWeight.Count));
        trie.Observe(Events.Input(1, "a", InputPhase.Accepted, destination: "d1"), 0);
        trie.Observe(Events.Input(2, "a", InputPhase.Accepted, destination: "d1"), 0);
        trie.Observe(Events.Input(3, "b", InputPhase.Accepted), 0);

        Assert.Equal("a;d1 2\nb;(none) 1\n", trie.GetSnapshot().ToFoldedStacks());
    }

    [Fact]
    public void Nodes_past_the_limit_are_counted_under_other()
    {
        var trie = new GroupingTrie(TimeProvider.System, maxNodes: 3);
        trie.Configure(TrieConfiguration.Parse(["runtime"], TrieWeight.Count));
        for (var i = 0; i < 10; i++)
        {
            trie.Observe(Events.Input(i + 1, $"r{i}", InputPhase.Accepted), 0);
        }

        var root = trie.GetSnapshot().Root;

        Assert.Equal(10, root.Count);
        Assert.Equal(4, root.Children.Count);
        Assert.Equal(7, root.Children.Single(c => c.Name == GroupingTrie.Other).Count);
    }

    [Theory]
    [InlineData("runtime")]
    [InlineData("destination")]
    [InlineData("kind")]
    [InlineData("phase")]
    [InlineData("payload_type")]
    [InlineData("label:tenant")]
    public void Every_field_groups_by_the_value_it_names(string field)
    {
        var trie = new GroupingTrie(TimeProvider.System);
        var configuration = TrieConfiguration.Parse([field], TrieWeight.Count);
        trie.Configure(configuration);
        var random = new Random(5);
        var events = Enumerable.Range(1, 500).Select(i => random.Next(4) switch
        {
            0 => Events.Run(i, $"r{random.Next(3)}", completed: random.Next(2) == 0, TimeSpan.FromMilliseconds(1), destination: $"d{random.Next(2)}"),
            1 => new Runtime.Observation.Events.StreamedEvent(i, new Runtime.Core.Events.RuntimeEvent
            {
                Kind = Runtime.Core.Events.RuntimeEventKind.InputTransitioned, Time = Events.Start, RuntimeId = "",
                ToPhase = (InputPhase)(40 + random.Next(2)), // values the enum does not define still group by their number
            }),
            _ => Events.Input(i, $"r{random.Next(3)}", (InputPhase)random.Next(7), destination: random.Next(3) == 0 ? null : "d0",
                labels: random.Next(2) == 0 ? null : new Dictionary<string, string> { ["tenant"] = $"t{random.Next(3)}" }),
        }).ToList();
        foreach (var e in events)
        {
            trie.Observe(e, 0);
        }

        var expected = events.GroupBy(e => configuration.Fields[0].ValueOf(e)).ToDictionary(g => g.Key, g => (long)g.Count());
        var children = trie.GetSnapshot().Root.Children.ToDictionary(c => c.Name, c => c.Count);

        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), children.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Enum_values_past_the_limit_are_counted_under_other_too()
    {
        var trie = new GroupingTrie(TimeProvider.System, maxNodes: 2);
        trie.Configure(TrieConfiguration.Parse(["phase"], TrieWeight.Count));
        InputPhase[] phases = [InputPhase.Accepted, InputPhase.Queued, InputPhase.Consumed, InputPhase.Consumed, InputPhase.Accepted];
        for (var i = 0; i < phases.Length; i++)
        {
            trie.Observe(Events.Input(i + 1, "r", phases[i]), 0);
        }

        var children = trie.GetSnapshot().Root.Children.ToDictionary(c => c.Name, c => c.Count);

        Assert.Equal(new Dictionary<string, long> { ["Accepted"] = 2, ["Queued"] = 1, [GroupingTrie.Other] = 2 }, children);
    }

    [Fact]
    public void Unknown_or_repeated_fields_are_rejected_by_name()
    {
        var error = Assert.Throws<RuntimeException>(() => TrieConfiguration.Parse(["runtime", "colour", "runtime"], TrieWeight.Count));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(["fields[1]", "fields[2]"], error.Violations.Select(v => v.Field));
        Assert.Throws<RuntimeException>(() => TrieConfiguration.Parse([], TrieWeight.Count));
    }

    private static void AssertSums(TrieNode node, int keepTop)
    {
        if (node.Children.Count == 0)
        {
            return;
        }

        Assert.Equal(node.Weight, node.Children.Sum(c => c.Weight));
        Assert.Equal(node.Count, node.Children.Sum(c => c.Count));
        Assert.True(keepTop == 0 || node.Children.Count <= keepTop + 1);
        foreach (var child in node.Children)
        {
            AssertSums(child, keepTop);
        }
    }
}
