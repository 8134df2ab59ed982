using Parquet;
using Runtime.Core.Events;
using Runtime.Core.Inputs;
using Runtime.Observation.Events;

namespace Runtime.Analytics.Recording;

/// <summary>
/// The columns of one row group, filled in place row by row and written as they are (see
/// <see cref="RecordingSchema"/>): no row object per event, no copy per column. Reused from group to group, so a
/// recording allocates its buffers once. Not thread-safe: the session hands a buffer from the feeder to the writer.
/// </summary>
internal sealed class RowGroupBuffer(int capacity)
{
    private static readonly ReadOnlyMemory<char>[] KindNames = Names<RuntimeEventKind>();
    private static readonly ReadOnlyMemory<char>[] PhaseNames = Names<InputPhase>();

    private readonly long[] _sequence = new long[capacity];
    private readonly DateTime[] _time = new DateTime[capacity];
    private readonly ReadOnlyMemory<char>?[] _runtime = new ReadOnlyMemory<char>?[capacity];
    private readonly ReadOnlyMemory<char>?[] _input = new ReadOnlyMemory<char>?[capacity];
    private readonly ReadOnlyMemory<char>?[] _run = new ReadOnlyMemory<char>?[capacity];
    private readonly ReadOnlyMemory<char>?[] _kind = new ReadOnlyMemory<char>?[capacity];
    private readonly ReadOnlyMemory<char>?[] _phase = new ReadOnlyMemory<char>?[capacity];
    private readonly ReadOnlyMemory<char>?[] _destination = new ReadOnlyMemory<char>?[capacity];
    private readonly long[] _bytes = new long[capacity];
    private readonly double?[] _latencyMs = new double?[capacity];
    private readonly int[] _attempt = new int[capacity];
    private readonly long[] _filterEpoch = new long[capacity];

    /// <summary>Rows held.</summary>
    public int Count { get; private set; }

    /// <summary>True when no row fits any more.</summary>
    public bool IsFull => Count == capacity;

    /// <summary>Appends the row of <paramref name="streamed"/> recorded under <paramref name="filterEpoch"/>.</summary>
    public void Add(StreamedEvent streamed, long filterEpoch)
    {
        var e = streamed.Event;
        var i = Count++;
        _sequence[i] = streamed.Sequence;
        _time[i] = e.Time.UtcDateTime;
        _runtime[i] = e.RuntimeId.AsMemory();
        _input[i] = Text(e.InputId);
        _run[i] = Text(e.RunId);
        _kind[i] = (uint)e.Kind < (uint)KindNames.Length ? KindNames[(int)e.Kind] : e.Kind.ToString().AsMemory();
        _phase[i] = e.ToPhase is not { } phase ? null
            : (uint)phase < (uint)PhaseNames.Length ? PhaseNames[(int)phase] : phase.ToString().AsMemory();
        _destination[i] = Text(e.Destination);
        _bytes[i] = e.Bytes;
        _latencyMs[i] = e.Latency?.TotalMilliseconds;
        _attempt[i] = e.Attempt;
        _filterEpoch[i] = filterEpoch;
    }

    /// <summary>Writes the rows held as one row group, then empties the buffer.</summary>
    public async Task WriteAsync(ParquetWriter writer)
    {
        var count = Count;
        using (var group = writer.CreateRowGroup())
        {
            await group.WriteAsync(RecordingSchema.Sequence, Column(_sequence, count));
            await group.WriteAsync(RecordingSchema.Time, Column(_time, count));
            await group.WriteAsync(RecordingSchema.Runtime, Column(_runtime, count));
            await group.WriteAsync(RecordingSchema.Input, Column(_input, count));
            await group.WriteAsync(RecordingSchema.Run, Column(_run, count));
            await group.WriteAsync(RecordingSchema.Kind, Column(_kind, count));
            await group.WriteAsync(RecordingSchema.Phase, Column(_phase, count));
            await group.WriteAsync(RecordingSchema.Destination, Column(_destination, count));
            await group.WriteAsync(RecordingSchema.Bytes, Column(_bytes, count));
            await group.WriteAsync(RecordingSchema.LatencyMs, Column(_latencyMs, count));
            await group.WriteAsync(RecordingSchema.Attempt, Column(_attempt, count));
            await group.WriteAsync(RecordingSchema.FilterEpoch, Column(_filterEpoch, count));
        }

        Clear();
    }

    /// <summary>Empties the buffer, letting go of the texts it referred to.</summary>
    public void Clear()
    {
        Array.Clear(_runtime, 0, Count);
        Array.Clear(_input, 0, Count);
        Array.Clear(_run, 0, Count);
        Array.Clear(_destination, 0, Count);

        Count = 0;
    }

    private static ReadOnlyMemory<T> Column<T>(T[] values, int count) => new(values, 0, count);

    private static ReadOnlyMemory<char>? Text(string? text) => text?.AsMemory();

    /// <summary>The names of an enum's values, by number: formatted once, not once per row.</summary>
    private static ReadOnlyMemory<char>[] Names<T>()
        where T : struct, Enum
    {
        var names = new ReadOnlyMemory<char>[Enum.GetValues<T>().Max(v => Convert.ToInt32(v, null)) + 1];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = Enum.GetName(typeof(T), i) is { } name ? name.AsMemory() : i.ToString(System.Globalization.CultureInfo.InvariantCulture).AsMemory();
        }

        return names;
    }
}
