using System.Threading.Channels;
using Parquet;
using Runtime.Observation.Events;

namespace Runtime.Analytics.Recording;

/// <summary>
/// One recording: a queue of row batches bounded in rows (full: the rows that do not fit are dropped and counted, the
/// feeder never waits) drained by one writer task that writes Parquet row groups of at most the batch size, waiting
/// up to the flush interval for a group to fill (a row group costs the same per column whatever its size).
/// Completing the queue flushes and closes a valid file. Rows travel in the pump's batches, so queueing costs one
/// array and one channel write per batch rather than per row.
/// </summary>
internal sealed class RecordingSession
{
    private readonly Channel<RecordingRow[]> _queue =
        Channel.CreateUnbounded<RecordingRow[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private readonly string _path;
    private readonly Limits _limits;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _startedAt;
    // Released when a full row group waits in the queue, and on stop: the writer sleeps until then or the flush
    // interval, instead of waking for every batch the pump hands over.
    private readonly SemaphoreSlim _groupReady = new(0);
    private long _queued;
    private long _waiting;
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
            var writer = await ParquetWriter.CreateAsync(RecordingSchema.Schema, file);
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
        var room = Volatile.Read(ref _lastError) is null ? _limits.Capacity - Interlocked.Read(ref _queued) : 0;
        var take = (int)Math.Clamp(room, 0, events.Length);
        if (take < events.Length)
        {
            Interlocked.Add(ref _dropped, events.Length - take);
        }

        if (take == 0)
        {
            return;
        }

        var rows = new RecordingRow[take];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = RecordingRow.From(events[i], filterEpoch);
        }

        Interlocked.Add(ref _queued, take);
        if (!_queue.Writer.TryWrite(rows))
        {
            Interlocked.Add(ref _queued, -take); // stopped meanwhile: the rows arrived after the recording ended
            return;
        }

        var waiting = Interlocked.Add(ref _waiting, take);
        if (waiting >= _limits.BatchSize && waiting - take < _limits.BatchSize)
        {
            _groupReady.Release();
        }
    }

    /// <summary>Stops taking rows, writes what is queued and closes the file.</summary>
    public async Task StopAsync(DateTimeOffset now)
    {
        _queue.Writer.TryComplete();
        _groupReady.Release();
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
        var batchSize = _limits.BatchSize;
        var batch = new List<RecordingRow>(batchSize);
        var writtenOfBatch = 0;
        try
        {
            while (true)
            {
                while (_queue.Reader.TryRead(out var rows))
                {
                    batch.AddRange(rows);
                    Interlocked.Add(ref _waiting, -rows.Length);
                }

                for (writtenOfBatch = 0; writtenOfBatch < batch.Count;)
                {
                    // Groups are read in place from the one reused buffer: a copied group of 8,192 rows would land on
                    // the large object heap every time.
                    var count = Math.Min(batchSize, batch.Count - writtenOfBatch);
                    await WriteRowGroupAsync(writer, batch, writtenOfBatch, count);
                    Interlocked.Add(ref _written, count);
                    writtenOfBatch += count;
                }

                Interlocked.Add(ref _queued, -batch.Count);
                batch.Clear();
                writtenOfBatch = 0;
                if (_queue.Reader.Completion.IsCompleted)
                {
                    break;
                }

                await UntilGroupOrFlushAsync();
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            Volatile.Write(ref _lastError, error.Message);
            Interlocked.Add(ref _dropped, batch.Count - writtenOfBatch);

            // Keep draining so the queue's rows are counted, not left behind.
            while (await _queue.Reader.WaitToReadAsync())
            {
                while (_queue.Reader.TryRead(out var rows))
                {
                    Interlocked.Add(ref _dropped, rows.Length);
                }
            }
        }
        finally
        {
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

    /// <summary>Waits until a full row group is queued, the recording stops, or the flush interval passes.</summary>
    private async Task UntilGroupOrFlushAsync()
    {
        using var flush = new CancellationTokenSource(_limits.FlushInterval, _time);
        try
        {
            await _groupReady.WaitAsync(flush.Token);
        }
        catch (OperationCanceledException) when (flush.IsCancellationRequested)
        {
            // The flush interval passed: write what is queued.
        }
    }

    private static async Task WriteRowGroupAsync(ParquetWriter writer, List<RecordingRow> rows, int start, int count)
    {
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(RecordingSchema.Sequence, Column(rows, start, count, r => r.Sequence));
        await group.WriteAsync(RecordingSchema.Time, Column(rows, start, count, r => r.Time));
        await group.WriteAsync(RecordingSchema.Runtime, Texts(rows, start, count, r => r.Runtime));
        await group.WriteAsync(RecordingSchema.Input, Texts(rows, start, count, r => r.Input));
        await group.WriteAsync(RecordingSchema.Run, Texts(rows, start, count, r => r.Run));
        await group.WriteAsync(RecordingSchema.Kind, Texts(rows, start, count, r => r.Kind));
        await group.WriteAsync(RecordingSchema.Phase, Texts(rows, start, count, r => r.Phase));
        await group.WriteAsync(RecordingSchema.Destination, Texts(rows, start, count, r => r.Destination));
        await group.WriteAsync(RecordingSchema.Bytes, Column(rows, start, count, r => r.Bytes));
        await group.WriteAsync(RecordingSchema.LatencyMs, Column(rows, start, count, r => r.LatencyMs));
        await group.WriteAsync(RecordingSchema.Attempt, Column(rows, start, count, r => r.Attempt));
        await group.WriteAsync(RecordingSchema.FilterEpoch, Column(rows, start, count, r => r.FilterEpoch));
    }

    private static ReadOnlyMemory<T> Column<T>(List<RecordingRow> rows, int start, int count, Func<RecordingRow, T> select)
    {
        var values = new T[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = select(rows[start + i]);
        }

        return values;
    }

    private static List<string?> Texts(List<RecordingRow> rows, int start, int count, Func<RecordingRow, string?> select)
    {
        var values = new List<string?>(count);
        for (var i = 0; i < count; i++)
        {
            values.Add(select(rows[start + i]));
        }

        return values;
    }

    /// <summary>How much a session queues, how many rows go in one row group, and how long a group may wait to fill.</summary>
    public sealed record Limits(int Capacity, int BatchSize, TimeSpan FlushInterval);
}
