using System.Globalization;
using System.Text;

namespace Runtime.Bench.Harness;

/// <summary>Collects a scenario's lines and writes them to the console and to <c>bench/results/&lt;scenario&gt;.md</c>.</summary>
public sealed class Report(string scenario)
{
    private readonly StringBuilder _text = new();

    /// <summary>Adds one line.</summary>
    public void Line(string line)
    {
        Console.WriteLine(line);
        _text.AppendLine(line);
    }

    /// <summary>Writes the report with a header naming the machine.</summary>
    public string Save(string resultsDirectory)
    {
        Directory.CreateDirectory(resultsDirectory);
        var path = Path.Combine(resultsDirectory, $"{scenario}.md");
        var header = string.Create(CultureInfo.InvariantCulture,
            $"# {scenario}\n\nMeasured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, " +
            $".NET {Environment.Version}, {Environment.OSVersion}.\n\n");
        File.WriteAllText(path, header + _text);
        return path;
    }
}
