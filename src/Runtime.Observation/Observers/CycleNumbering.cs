using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Observation.Events;

namespace Runtime.Observation.Observers;

/// <summary>
/// Numbers observer cycles so they keep increasing across restarts, like event sequences: every observer of a process
/// starts at <see cref="FirstCycle"/> (its initial snapshot), above every cycle an earlier process handed out. A
/// subscriber resuming after a cycle of an earlier process is therefore always told it missed something (a gap and a
/// fresh snapshot), never handed the new process's batches as if they followed on.
/// </summary>
public sealed class CycleNumbering : IDisposable
{
    /// <summary>The file in the data directory that holds the cycle high-water mark.</summary>
    public const string FileName = "observer-cycles";

    // Cycles come once per interval: a small block is written rarely, and a crash skips few numbers.
    private const long BlockSize = 4_096;

    private readonly Lock _lock = new();
    private readonly SequenceReservation? _reservation;
    private long _next;
    private bool _closed;

    private CycleNumbering(SequenceReservation? reservation)
    {
        _reservation = reservation;
        FirstCycle = reservation is null ? 0 : reservation.FirstSequence - 1;
        _next = FirstCycle;
    }

    /// <summary>The first cycle of this process: every observer's initial snapshot (0 on a fresh data directory).</summary>
    public long FirstCycle { get; }

    /// <summary>Cycles that start at 0 in every process and are not persisted (tests, embedded use).</summary>
    public static CycleNumbering InMemory() => new(null);

    /// <summary>Cycles persisted in <see cref="FileName"/> inside <paramref name="directory"/>.</summary>
    public static CycleNumbering Persisted(string directory, ILogger? logger = null) =>
        new(new SequenceReservation(directory, FileName, BlockSize, logger ?? NullLogger.Instance));

    /// <summary>
    /// Makes sure <paramref name="cycle"/> is durably reserved before an observer publishes it. False when the disk
    /// refuses the reservation or numbering has been closed (the cycle must then not be published).
    /// </summary>
    internal bool TryCover(long cycle)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            // The reservation counts from 1; cycle c is stored as c + 1 so a fresh directory starts at cycle 0.
            if (_reservation is not null && !_reservation.TryCover(cycle + 1))
            {
                return false;
            }

            _next = Math.Max(_next, cycle + 1);
            return true;
        }
    }

    /// <summary>Records the exact next cycle, so a clean restart continues right after the last one.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _reservation?.Close(_next + 1);
        }
    }
}
