using System.Globalization;
using System.Text;

namespace Runtime.Analytics.Trie;

/// <summary>A node of a trie snapshot: its weight is the sum of its children's.</summary>
/// <param name="Name">The field value (or "(other)" for pruned siblings merged together).</param>
/// <param name="Weight">Total weight of the events below.</param>
/// <param name="Count">Number of events below.</param>
/// <param name="Children">The kept children, heaviest first.</param>
public sealed record TrieNode(string Name, long Weight, long Count, IReadOnlyList<TrieNode> Children);

/// <summary>A versioned, pruned view of the grouping trie.</summary>
public sealed record TrieSnapshot
{
    /// <summary>Bumped by every reconfigure or reset; snapshots with the same version share a baseline.</summary>
    public required long Version { get; init; }

    /// <summary>The configuration in force.</summary>
    public required TrieConfiguration Configuration { get; init; }

    /// <summary>When the baseline started.</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>When the snapshot was taken.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Sequence of the last event counted.</summary>
    public required long LastSequence { get; init; }

    /// <summary>The root (name "all"): totals of everything counted since the baseline.</summary>
    public required TrieNode Root { get; init; }

    /// <summary>Renders folded stacks (<c>a;b;c weight</c>, one line per leaf), the format flamegraph tools read.</summary>
    public string ToFoldedStacks()
    {
        var text = new StringBuilder();
        foreach (var child in Root.Children)
        {
            Fold(child, child.Name, text);
        }

        return text.ToString();
    }

    private static void Fold(TrieNode node, string path, StringBuilder text)
    {
        if (node.Children.Count == 0)
        {
            text.Append(path).Append(' ').Append(node.Weight.ToString(CultureInfo.InvariantCulture)).Append('\n');
            return;
        }

        foreach (var child in node.Children)
        {
            // Frame names may not hold the separators of the format.
            Fold(child, path + ";" + child.Name.Replace(';', '_').Replace(' ', '_'), text);
        }
    }
}
