using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace Runtime.Bench.Harness;

/// <summary>What the machine and this process look like while a scenario runs.</summary>
public static class Machine
{
    private const double MiB = 1024 * 1024;

    /// <summary>The 1, 5 and 15 minute load averages (other work shares these cores).</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>Forces a full, compacting, blocking collection so memory figures count only what is still reachable.</summary>
    public static void FullCollect()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    /// <summary>Resident set, private bytes and managed heap of this process, now.</summary>
    public static MemoryFigures Memory()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new MemoryFigures(process.WorkingSet64, process.PrivateMemorySize64, GC.GetTotalMemory(forceFullCollection: false));
    }

    /// <summary>Bytes as MiB with no decimals.</summary>
    public static string Mib(long bytes) => (bytes / MiB).ToString("N0", CultureInfo.InvariantCulture) + " MiB";
}

/// <summary>A process's memory at one moment.</summary>
public sealed record MemoryFigures(long Resident, long Private, long ManagedHeap)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"resident {Machine.Mib(Resident)}, private {Machine.Mib(Private)}, managed heap {Machine.Mib(ManagedHeap)}";
}
