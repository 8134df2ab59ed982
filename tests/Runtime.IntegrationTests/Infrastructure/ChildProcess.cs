using System.Diagnostics;
using System.Text;

namespace Runtime.IntegrationTests.Infrastructure;

/// <summary>What a finished child process left: its exit code and everything it printed.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Output">Stdout and stderr, interleaved as they arrived.</param>
public sealed record ChildProcessResult(int ExitCode, string Output);

/// <summary>Runs a tool (node, python, tsc) to completion, bounded: killed with its children when the time is up.</summary>
public static class ChildProcess
{
    /// <summary>Runs <paramref name="fileName"/> in <paramref name="workingDirectory"/> with extra environment variables.</summary>
    public static async Task<ChildProcessResult> RunAsync(
        string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return new ChildProcessResult(-1, $"{fileName} killed after {timeout.TotalSeconds:0} s\n{Text(output)}");
        }

        return new ChildProcessResult(process.ExitCode, Text(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
