using System.Globalization;
using Runtime.Core.Hosting;

namespace Runtime.Core.Inputs;

/// <summary>
/// The compact text form of an input's transition history: one line per transition,
/// <c>ticks|from|to|reason</c>, phases as numbers (empty <c>from</c> for the first). Appending is a string concat,
/// so the store can extend a stored history without rewriting it.
/// </summary>
public static class TransitionLog
{
    /// <summary>Appends one transition to <paramref name="log"/>.</summary>
    public static string Append(string log, DateTimeOffset time, InputPhase? from, InputPhase to, string reason)
    {
        var clean = reason.AsSpan().ContainsAny('|', '\n') ? reason.Replace('|', '/').Replace('\n', ' ') : reason;
        var fromText = from is { } f ? ((int)f).ToString(CultureInfo.InvariantCulture) : "";
        return string.Create(CultureInfo.InvariantCulture, $"{log}{time.UtcTicks}|{fromText}|{(int)to}|{clean}\n");
    }

    /// <summary>The first line of every history: accepted at <paramref name="time"/>.</summary>
    public static string Accepted(DateTimeOffset time) =>
        string.Concat(time.UtcTicks.ToString(CultureInfo.InvariantCulture), "||0|accepted\n");

    /// <summary>Reads every transition, oldest first.</summary>
    public static IReadOnlyList<InputTransition> Parse(string log)
    {
        var result = new List<InputTransition>();
        foreach (var line in log.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('|', 4);
            if (parts.Length < 4)
            {
                continue;
            }

            var time = new DateTimeOffset(long.Parse(parts[0], CultureInfo.InvariantCulture), TimeSpan.Zero);
            InputPhase? from = parts[1].Length == 0 ? null : (InputPhase)int.Parse(parts[1], CultureInfo.InvariantCulture);
            var to = (InputPhase)int.Parse(parts[2], CultureInfo.InvariantCulture);
            result.Add(new InputTransition(time, from, to, parts[3]));
        }

        return result;
    }
}
