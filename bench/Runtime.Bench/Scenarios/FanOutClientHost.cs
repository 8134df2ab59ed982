using System.Globalization;
using HdrHistogram;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// The subscribers' side of the fan-out scenario, run as its own process (<c>Runtime.Bench fanout-clients</c>) so the
/// servers' CPU and the subscribers' CPU are measured apart. Reads one command a line on stdin, answers one line on
/// stdout: <c>open ADDRESS COUNT</c>, <c>reset</c>, <c>sample</c>, <c>pool NAME</c> (adds the lag since the last
/// reset to a named pool), <c>pooled NAME</c>, <c>stall AFTER</c>, <c>drain LAST</c>, <c>close</c>, <c>exit</c>.
/// Ends when stdin closes.
/// </summary>
public static class FanOutClientHost
{
    /// <summary>Serves commands until <c>exit</c> or the end of stdin.</summary>
    public static async Task<int> RunAsync()
    {
        FanOutSubscribers? subscribers = null;
        StalledSubscriber? stalled = null;
        var pools = new Dictionary<string, LongHistogram>();
        try
        {
            while (await Console.In.ReadLineAsync() is { } line)
            {
                var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string answer;
                switch (words)
                {
                    case ["open", var address, var count]:
                        subscribers = FanOutSubscribers.Open(address, int.Parse(count, CultureInfo.InvariantCulture));
                        answer = "ok";
                        break;
                    case ["reset"]:
                        subscribers!.ResetLag();
                        answer = "ok";
                        break;
                    case ["sample"]:
                        var lag = LagSummary.Of(subscribers!.Lag());
                        answer = string.Join(' ', [
                            Invariant(subscribers.Events), Invariant(subscribers.Messages), Invariant(subscribers.Gaps),
                            Invariant(lag.P50), Invariant(lag.P99), Invariant(lag.Max), Invariant(lag.Count),
                            Invariant(Environment.CpuUsage.TotalTime.TotalMicroseconds)]);
                        break;
                    case ["pool", var name]:
                        if (!pools.TryGetValue(name, out var pool))
                        {
                            pools[name] = pool = new LongHistogram(TimeSpan.FromMinutes(2).Ticks / 10, 3);
                        }

                        pool.Add(subscribers!.Lag());
                        answer = "ok";
                        break;
                    case ["pooled", var name]:
                        var pooled = LagSummary.Of(pools.TryGetValue(name, out var found) ? found : new LongHistogram(1000, 3));
                        answer = string.Join(' ', [Invariant(pooled.P50), Invariant(pooled.P99), Invariant(pooled.Max), Invariant(pooled.Count)]);
                        break;
                    case ["stall", var after]:
                        stalled = subscribers!.OpenStalled(long.Parse(after, CultureInfo.InvariantCulture));
                        answer = "ok";
                        break;
                    case ["drain", var last]:
                        var (first, events, bytes, gaps) = await stalled!.DrainAsync(long.Parse(last, CultureInfo.InvariantCulture), TimeSpan.FromSeconds(30));
                        stalled.Dispose();
                        stalled = null;
                        answer = string.Join(' ', [Invariant(first), Invariant(events), Invariant(bytes), Invariant(gaps)]);
                        break;
                    case ["close"]:
                        await subscribers!.DisposeAsync();
                        subscribers = null;
                        answer = "ok";
                        break;
                    case ["exit"]:
                        return 0;
                    default:
                        answer = $"error unknown command '{line}'";
                        break;
                }

                await Console.Out.WriteLineAsync(answer);
                await Console.Out.FlushAsync();
            }

            return 0;
        }
        finally
        {
            stalled?.Dispose();
            if (subscribers is not null)
            {
                await subscribers.DisposeAsync();
            }
        }
    }

    private static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
