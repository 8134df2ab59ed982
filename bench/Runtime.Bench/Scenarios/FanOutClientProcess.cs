using System.Diagnostics;
using System.Globalization;
using HdrHistogram;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// The fan-out subscribers in a child process of this bench (<c>fanout-clients</c>), so that 1,000 clients parsing
/// messages do not share the servers' thread pool; the parent drives it with one-line commands on stdin and reads
/// one-line answers from stdout. Lag is receive time minus event time on the same machine clock.
/// </summary>
public sealed class FanOutClientProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;

    private FanOutClientProcess(Process process) => _process = process;

    /// <summary>Starts the child with <paramref name="count"/> subscribers (plus one that never reads, when asked).</summary>
    public static FanOutClientProcess Start(string address, int count, bool withStalled)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(typeof(FanOutClientProcess).Assembly.Location);
        }

        foreach (var argument in new[] { "fanout-clients", address, count.ToString(CultureInfo.InvariantCulture), withStalled ? "stalled" : "none" })
        {
            start.ArgumentList.Add(argument);
        }

        return new FanOutClientProcess(Process.Start(start) ?? throw new InvalidOperationException("the client process did not start"));
    }

    /// <summary>Events, event messages and gaps received so far over all subscribers.</summary>
    public async Task<(long Events, long Messages, long Gaps)> CountersAsync()
    {
        var v = await AskAsync("counters");
        return (v[0], v[1], v[2]);
    }

    /// <summary>Starts a measurement window: lag recorded from now on.</summary>
    public Task ResetLagAsync() => AskAsync("reset");

    /// <summary>Lag over all subscribers since the reset.</summary>
    public async Task<LagSummary> LagAsync()
    {
        var v = await AskAsync("lag");
        return new LagSummary(v[0] / 1000.0, v[1] / 1000.0, v[2] / 1000.0, v[3]);
    }

    /// <summary>Reads the stalled subscriber until it has caught up (see <see cref="FanOutSubscribers.DrainStalledAsync"/>).</summary>
    public async Task<(long Events, long Gaps)> DrainStalledAsync(long lastSequence)
    {
        var v = await AskAsync(string.Create(CultureInfo.InvariantCulture, $"drain {lastSequence}"));
        return (v[0], v[1]);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.StandardInput.WriteLineAsync("stop");
            await _process.StandardInput.FlushAsync();
            await _process.WaitForExitAsync().WaitAsync(ExitTimeout);
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            _process.Kill();
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>Serves the commands in the child process until <c>stop</c> or the end of stdin.</summary>
    public static async Task<int> ServeAsync(string address, int count, bool withStalled)
    {
        await using var subscribers = FanOutSubscribers.Open(address, count, withStalled);
        while (await Console.In.ReadLineAsync() is { } line && line != "stop")
        {
            var words = line.Split(' ');
            long[] answer = words[0] switch
            {
                "counters" => [subscribers.Events, subscribers.Messages, subscribers.Gaps],
                "reset" => Reset(subscribers),
                "lag" => Lag(subscribers),
                "drain" => await Drain(subscribers, long.Parse(words[1], CultureInfo.InvariantCulture)),
                _ => throw new InvalidOperationException($"unknown command {line}"),
            };
            Console.WriteLine(string.Join(' ', answer.Select(v => v.ToString(CultureInfo.InvariantCulture))));
        }

        return 0;
    }

    private static long[] Reset(FanOutSubscribers subscribers)
    {
        subscribers.ResetLag();
        return [0];
    }

    private static long[] Lag(FanOutSubscribers subscribers)
    {
        var lag = subscribers.Lag();
        return lag.TotalCount == 0
            ? [0, 0, 0, 0]
            : [lag.GetValueAtPercentile(50), lag.GetValueAtPercentile(99), lag.GetMaxValue(), lag.TotalCount];
    }

    private static async Task<long[]> Drain(FanOutSubscribers subscribers, long lastSequence)
    {
        var (events, gaps) = await subscribers.DrainStalledAsync(lastSequence, ExitTimeout);
        return [events, gaps];
    }

    private async Task<long[]> AskAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(ExitTimeout)
            ?? throw new InvalidOperationException($"the client process exited (code {(_process.HasExited ? _process.ExitCode : -1)})");
        return [.. line.Split(' ').Select(w => long.Parse(w, CultureInfo.InvariantCulture))];
    }
}

/// <summary>Lag percentiles in milliseconds over <paramref name="Count"/> events.</summary>
public sealed record LagSummary(double P50, double P99, double Max, long Count);
