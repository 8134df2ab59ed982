using Parquet;
using Runtime.Analytics.Recording;

namespace Runtime.Analytics.Tests.Recording;

/// <summary>Reads a recording back with Parquet.Net.</summary>
internal static class RecordingReader
{
    public static async Task<List<RecordingRow>> ReadAsync(string path)
    {
        var rows = new List<RecordingRow>();
        await using var reader = await ParquetReader.CreateAsync(path);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = (int)group.RowCount;
            var sequence = new long[count];
            var time = new DateTime[count];
            var runtime = new string?[count];
            var input = new string?[count];
            var run = new string?[count];
            var kind = new string?[count];
            var phase = new string?[count];
            var destination = new string?[count];
            var bytes = new long[count];
            var latency = new double?[count];
            var attempt = new int[count];
            var epoch = new long[count];
            await group.ReadAsync(RecordingSchema.Sequence, sequence.AsMemory());
            await group.ReadAsync(RecordingSchema.Time, time.AsMemory());
            await group.ReadAsync(RecordingSchema.Runtime, runtime.AsMemory());
            await group.ReadAsync(RecordingSchema.Input, input.AsMemory());
            await group.ReadAsync(RecordingSchema.Run, run.AsMemory());
            await group.ReadAsync(RecordingSchema.Kind, kind.AsMemory());
            await group.ReadAsync(RecordingSchema.Phase, phase.AsMemory());
            await group.ReadAsync(RecordingSchema.Destination, destination.AsMemory());
            await group.ReadAsync(RecordingSchema.Bytes, bytes.AsMemory());
            await group.ReadAsync(RecordingSchema.LatencyMs, latency.AsMemory());
            await group.ReadAsync(RecordingSchema.Attempt, attempt.AsMemory());
            await group.ReadAsync(RecordingSchema.FilterEpoch, epoch.AsMemory());
            for (var i = 0; i < count; i++)
            {
                rows.Add(new RecordingRow(
                    sequence[i], time[i], runtime[i]!, input[i], run[i], kind[i]!, phase[i], destination[i], bytes[i], latency[i], attempt[i], epoch[i]));
            }
        }

        return rows;
    }
}
