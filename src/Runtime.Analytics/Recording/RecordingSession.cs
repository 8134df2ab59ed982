using System.Collections.Concurrent;
using System.Threading.Channels;
using Parquet;
using Runtime.Observation.Events;

namespace Runtime.Analytics.Recording;

/// <summary>
/// One recording: rows are written by the feeder straight into the columns of a row group buffer
/// (<see cref="RowGroupBuffer"/>); a full buffer goes to the one writer task, which writes it as a Parquet row group and
/// hands it back for reuse. Partly filled buffers are taken by the writer after the flush interval (a row group costs
/// the same per column whatever its size, so groups are made as large as the batch size allows) and on stop. The rows
/// held in buffers are bounded (the queue capacity): rows that do not fit are dropped and counted, the feeder never
/// waits. Completing the queue flushes and closes a valid file.
/// </summary>
internal sealed class RecordingSession
{
    private readonly Channel<RowGroupBuffer> _full =
        Channel.CreateUnbounded<RowGroupBuffer>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    // Guards the buffer being filled and the stopped flag: taken once per batch by the feeder, and by the writer only
    // to take a partly filled buffer at the flush interval.
    private readonly Lock _fill = new();
    private readonly ConcurrentQueue<RowGroupBuffer> _spare = new(); // written buffers, for reuse (the writer need not wait for the lock)
    private readonly string _path;
    private readonly Limits _limits;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _startedAt;
    private RowGroupBuffer? _filling;
    private bool _stopping;
    private long _queued;
    private long _written;
    private long _dropped;
    private string? _lastError;
    private DateTimeOffset? _stoppedAt;

    private RecordingSession(string path, Limits limits, TimeProvider time)
    {
        _path = path;
        _limits = limits;
        _time = time;
        _startedAt = time.GetUtcNow();
    }

    public Task Writing { get; private set; } = Task.CompletedTask;

    /// <summary>Creates the file and starts the writer.</summary>
    public static async Task<RecordingSession> StartAsync(string path, Limits limits, TimeProvider time, Task writerGate)
    {
        var session = new RecordingSession(path, limits, time);
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true);
        try
        {
            var writer = await ParquetWriter.CreateAsync(RecordingSchema.Schema, file, RecordingSchema.WriterOptions());
            session.Writing = Task.Run(async () =>
            {
                await writerGate;
                await session.WriteAsync(file, writer);
            });
            return session;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>Queues the rows of <paramref name="events"/>; what does not fit in the queue is dropped (counted).</summary>
    public void Enqueue(ReadOnlySpan<StreamedEvent> events, long filterEpoch)
    {
        lock (_fill)
        {
            if (_stopping)
            {
                return; // the rows arrived after the recording ended
            }

            var room = Volatile.Read(ref _lastError) is null ? _limits.Capacity - Interlocked.Read(ref _queued) : 0;
            var take = (int)Math.Clamp(room, 0, events.Length);
            if (take < events.Length)
            {
                Interlocked.Add(ref _dropped, events.Length - take);
            }

            for (var i = 0; i < take; i++)
            {
                var buffer = _filling ??= _spare.TryDequeue(out var spare) ? spare : new RowGroupBuffer(Math.Min(_limits.BatchSize, _limits.Capacity));
                buffer.Add(events[i], filterEpoch);
                if (buffer.IsFull)
                {
                    _full.Writer.TryWrite(buffer);
                    _filling = null;
                }
            }

            Interlocked.Add(ref _queued, take);
        }
    }

    /// <summary>Stops taking rows, writes what is queued and closes the file.</summary>
    public async Task StopAsync(DateTimeOffset now)
    {
        lock (_fill)
        {
            _stopping = true;
            if (_filling is not null)
            {
                _full.Writer.TryWrite(_filling);
                _filling = null;
            }

            _full.Writer.TryComplete();
        }

        await Writing;
        _stoppedAt = now;
    }

    public RecordingStatus Status(bool active) => new()
    {
        Active = active,
        Path = _path,
        RowsWritten = Interlocked.Read(ref _written),
        RowsDropped = Interlocked.Read(ref _dropped),
        LastError = Volatile.Read(ref _lastError),
        StartedAt = _startedAt,
        StoppedAt = _stoppedAt,
    };

    private async Task WriteAsync(FileStream file, ParquetWriter writer)
    {
        RowGroupBuffer? buffer = null;
        try
        {
            var flushDue = false;
            while (true)
            {
                if (flushDue)
                {
                    HandOverPartlyFilled();
                }

                while (_full.Reader.TryRead(out buffer))
                {
                    var rows = buffer.Count;
                    await buffer.WriteAsync(writer);
                    Interlocked.Add(ref _written, rows);
                    Interlocked.Add(ref _queued, -rows);
                    _spare.Enqueue(buffer);
                    buffer = null;
                }

                if (_full.Reader.Completion.IsCompleted)
                {
                    break;
                }

                flushDue = await UntilGroupOrFlushAsync();
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            Volatile.Write(ref _lastError, error.Message);
            Interlocked.Add(ref _dropped, buffer?.Count ?? 0);

            // Keep draining so the queued rows are counted, not left behind.
            while (await _full.Reader.WaitToReadAsync())
            {
                while (_full.Reader.TryRead(out var rows))
                {
                    Interlocked.Add(ref _dropped, rows.Count);
                }
            }
        }
        finally
        {
            _spare.Clear(); // a stopped session is kept for its status: it need not keep its buffers

            try
            {
                await writer.DisposeAsync();
            }
            catch (IOException error)
            {
                Volatile.Write(ref _lastError, error.Message);
            }

            await file.DisposeAsync();
        }
    }

    /// <summary>
    /// Queues the partly filled buffer behind the full ones (under the feeder's lock, so row order holds), so its rows
    /// do not wait for a full group.
    /// </summary>
    private void HandOverPartlyFilled()
    {
        lock (_fill)
        {
            if (_filling is { Count: > 0 } filling)
            {
                _full.Writer.TryWrite(filling);
                _filling = null;
            }
        }
    }

    /// <summary>Waits until a full row group is queued or the recording stops (false), or the flush interval passes (true).</summary>
    private async Task<bool> UntilGroupOrFlushAsync()
    {
        using var flush = new CancellationTokenSource(_limits.FlushInterval, _time);
        try
        {
            await _full.Reader.WaitToReadAsync(flush.Token);
            return false;
        }
        catch (OperationCanceledException) when (flush.IsCancellationRequested)
        {
            return true;
        }
    }

    /// <summary>How much a session queues, how many rows go in one row group, and how long a group may wait to fill.</summary>
    public sealed record Limits(int Capacity, int BatchSize, TimeSpan FlushInterval);
}
