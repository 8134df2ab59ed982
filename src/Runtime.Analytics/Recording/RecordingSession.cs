using System.Threading.Channels;
using Parquet;

namespace Runtime.Analytics.Recording;

/// <summary>
/// One recording: a bounded queue (full: the row is dropped and counted, the feeder never waits) drained by one
/// writer task that writes a Parquet row group per batch. Completing the queue flushes and closes a valid file.
/// </summary>
internal sealed class RecordingSession
{
    private readonly Channel<RecordingRow> _queue;
    private readonly string _path;
    private readonly int _batchSize;
    private readonly DateTimeOffset _startedAt;
    private long _written;
    private long _dropped;
    private string? _lastError;
    private DateTimeOffset? _stoppedAt;

    private RecordingSession(string path, int capacity, int batchSize, DateTimeOffset startedAt)
    {
        _path = path;
        _batchSize = batchSize;
        _startedAt = startedAt;
        _queue = Channel.CreateBounded<RecordingRow>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true, SingleWriter = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    public Task Writing { get; private set; } = Task.CompletedTask;

    /// <summary>Creates the file and starts the writer.</summary>
    public static async Task<RecordingSession> StartAsync(string path, int capacity, int batchSize, DateTimeOffset now, Task writerGate)
    {
        var session = new RecordingSession(path, capacity, batchSize, now);
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

    /// <summary>Queues a row; a full queue drops it (counted).</summary>
    public void Enqueue(RecordingRow row)
    {
        if (Volatile.Read(ref _lastError) is not null)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        _queue.Writer.TryWrite(row);
    }

    /// <summary>Stops taking rows, writes what is queued and closes the file.</summary>
    public async Task StopAsync(DateTimeOffset now)
    {
        _queue.Writer.TryComplete();
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
        var batch = new List<RecordingRow>(_batchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync())
            {
                while (batch.Count < _batchSize && _queue.Reader.TryRead(out var row))
                {
                    batch.Add(row);
                }

                await WriteRowGroupAsync(writer, batch);
                Interlocked.Add(ref _written, batch.Count);
                batch.Clear();
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            Volatile.Write(ref _lastError, error.Message);
            Interlocked.Add(ref _dropped, batch.Count);

            // Keep draining so the queue's rows are counted, not left behind.
            while (_queue.Reader.TryRead(out _) || await _queue.Reader.WaitToReadAsync())
            {
                while (_queue.Reader.TryRead(out _))
                {
                    Interlocked.Increment(ref _dropped);
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

    private static async Task WriteRowGroupAsync(ParquetWriter writer, List<RecordingRow> rows)
    {
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(RecordingSchema.Sequence, Column(rows, r => r.Sequence));
        await group.WriteAsync(RecordingSchema.Time, Column(rows, r => r.Time));
        await group.WriteAsync(RecordingSchema.Runtime, rows.Select(r => r.Runtime).ToList());
        await group.WriteAsync(RecordingSchema.Input, rows.Select(r => r.Input).ToList()!);
        await group.WriteAsync(RecordingSchema.Run, rows.Select(r => r.Run).ToList()!);
        await group.WriteAsync(RecordingSchema.Kind, rows.Select(r => r.Kind).ToList());
        await group.WriteAsync(RecordingSchema.Phase, rows.Select(r => r.Phase).ToList()!);
        await group.WriteAsync(RecordingSchema.Destination, rows.Select(r => r.Destination).ToList()!);
        await group.WriteAsync(RecordingSchema.Bytes, Column(rows, r => r.Bytes));
        await group.WriteAsync(RecordingSchema.LatencyMs, Column(rows, r => r.LatencyMs));
        await group.WriteAsync(RecordingSchema.Attempt, Column(rows, r => r.Attempt));
        await group.WriteAsync(RecordingSchema.FilterEpoch, Column(rows, r => r.FilterEpoch));
    }

    private static ReadOnlyMemory<T> Column<T>(List<RecordingRow> rows, Func<RecordingRow, T> select)
    {
        var values = new T[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = select(rows[i]);
        }

        return values;
    }
}
