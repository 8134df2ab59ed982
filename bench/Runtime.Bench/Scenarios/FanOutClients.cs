using System.Diagnostics;
using System.Globalization;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// The subscribers, in a child process (<see cref="FanOutClientHost"/>): the servers' process then measures only its
/// own CPU, and the subscribers' CPU is read from the child. One command at a time.
/// </summary>
public sealed class FanOutClients : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private FanOutClients(Process process) => _process = process;

    /// <summary>Starts the child process (this same executable).</summary>
    public static FanOutClients Start()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("the bench's own executable is unknown");
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // Started as 'dotnet Runtime.Bench.dll' the host is dotnet itself: pass the entry assembly first.
        if (Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            info.ArgumentList.Add(typeof(FanOutClients).Assembly.Location);
        }

        info.ArgumentList.Add("fanout-clients");
        return new FanOutClients(Process.Start(info) ?? throw new InvalidOperationException("could not start the subscribers' process"));
    }

    /// <summary>Opens <paramref name="count"/> subscribers of the server at <paramref name="address"/>.</summary>
    public Task OpenAsync(string address, int count) => CommandAsync($"open {address} {count}");

    /// <summary>Starts a measurement window: lag recorded from now on.</summary>
    public Task ResetAsync() => CommandAsync("reset");

    /// <summary>Counters so far, lag since the last reset, and the subscribers' process CPU so far.</summary>
    public async Task<ClientSample> SampleAsync()
    {
        var v = (await CommandAsync("sample")).Split(' ').Select(w => double.Parse(w, CultureInfo.InvariantCulture)).ToArray();
        return new ClientSample((long)v[0], (long)v[1], (long)v[2], new LagSummary(v[3], v[4], v[5], (long)v[6]), TimeSpan.FromMicroseconds(v[7]));
    }

    /// <summary>Adds the lag recorded since the last reset to the pool named <paramref name="name"/>.</summary>
    public Task PoolAsync(string name) => CommandAsync($"pool {name}");

    /// <summary>The lag over everything added to the pool named <paramref name="name"/>.</summary>
    public async Task<LagSummary> PooledAsync(string name)
    {
        var v = (await CommandAsync($"pooled {name}")).Split(' ').Select(w => double.Parse(w, CultureInfo.InvariantCulture)).ToArray();
        return new LagSummary(v[0], v[1], v[2], (long)v[3]);
    }

    /// <summary>Opens one stalled subscriber resuming after <paramref name="afterSequence"/> (see <see cref="FanOutSubscribers.OpenStalled"/>).</summary>
    public Task StallAsync(long afterSequence) => CommandAsync($"stall {afterSequence}");

    /// <summary>Reads the stalled subscriber up to <paramref name="lastSequence"/> and closes it (see <see cref="StalledSubscriber.DrainAsync"/>).</summary>
    public async Task<(long First, long Events, long Bytes, long Gaps)> DrainAsync(long lastSequence)
    {
        var v = (await CommandAsync($"drain {lastSequence}")).Split(' ').Select(w => long.Parse(w, CultureInfo.InvariantCulture)).ToArray();
        return (v[0], v[1], v[2], v[3]);
    }

    /// <summary>Closes the subscribers.</summary>
    public Task CloseAsync() => CommandAsync("close");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.StandardInput.WriteLineAsync("exit");
            await _process.StandardInput.FlushAsync();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task<string> CommandAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        var answer = await _process.StandardOutput.ReadLineAsync().WaitAsync(CommandTimeout)
            ?? throw new InvalidOperationException($"the subscribers' process ended during '{command}'");
        return answer.StartsWith("error", StringComparison.Ordinal)
            ? throw new InvalidOperationException($"the subscribers' process: {answer}")
            : answer;
    }
}

/// <summary>The subscribers' counters, lag since the last reset, and their process's CPU time so far.</summary>
public sealed record ClientSample(long Events, long Messages, long Gaps, LagSummary Lag, TimeSpan Cpu);
