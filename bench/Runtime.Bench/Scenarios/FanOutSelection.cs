using System.Globalization;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// Which parts of the fan-out scenario run: all of them by default, or (while developing) some of <c>saturated</c>,
/// <c>paced</c>, <c>stalled</c> and some subscriber counts, e.g. <c>paced 1000</c>.
/// </summary>
public sealed record FanOutSelection(bool Saturated, bool Paced, bool Stalled, IReadOnlyList<int> Counts, bool Full)
{
    private static readonly int[] AllCounts = [10, 100, 1_000];

    /// <summary>Parses the scenario's arguments.</summary>
    public static FanOutSelection Of(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            return new FanOutSelection(true, true, true, AllCounts, Full: true);
        }

        var counts = args.Where(a => a.All(char.IsAsciiDigit)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        var named = args.Where(a => !a.All(char.IsAsciiDigit)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var any = named.Count == 0;
        return new FanOutSelection(
            any || named.Contains("saturated"),
            any || named.Contains("paced"),
            any || named.Contains("stalled"),
            counts.Length > 0 ? counts : AllCounts,
            Full: false);
    }
}
