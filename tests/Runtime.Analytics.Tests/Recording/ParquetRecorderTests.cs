using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Runtime.Analytics.Probes;
using Runtime.Analytics.Recording;
using Runtime.Core.Errors;
using Runtime.Core.Events;
using Runtime.Core.Inputs;

namespace Runtime.Analytics.Tests.Recording;

public sealed class ParquetRecorderTests
{
    [Fact]
    public async Task A_recording_read_back_holds_every_row_of_the_filtered_stream_with_its_epoch()
    {
        using var directory = new TempDirectory();
        var recorder = new ParquetRecorder(Options.Create(new AnalyticsOptions { DataDirectory = directory.Path, RecordingBatchSize = 7 }), TimeProvider.System);
        await using var rig = new AnalyticsRig(directory.Path, recorder);
        var probes = new ProbeRegistry(rig.Stream, rig.Options);
        probes.Set(EventCategory.Published, enabled: false);

        var started = await recorder.StartAsync("run-1");
        rig.Filter.Set("runtime ^= \"keep-\"");
        var expected = new List<(long Sequence, long Epoch)>();
        for (var i = 0; i < 40; i++)
        {
            var keep = i % 3 != 0;
            var sequence = rig.Publish(Events.Input(0, keep ? $"keep-{i}" : $"drop-{i}", InputPhase.Consumed, bytes: i, latency: TimeSpan.FromMilliseconds(i)).Event);
            rig.Publish(new RuntimeEvent { Kind = RuntimeEventKind.Published, Time = Events.Start, RuntimeId = "keep-published" });
            if (keep)
            {
                expected.Add((sequence, 1));
            }
        }

        await rig.PublishAsync();
        rig.Filter.Set("bytes >= 100");
        await rig.PublishAsync(Events.Input(0, "drop-late", InputPhase.Accepted, bytes: 5).Event);
        var big = rig.Publish(Events.Input(0, "any", InputPhase.Accepted, bytes: 500).Event);
        expected.Add((big, 2));
        await rig.PublishAsync();
        var stopped = await recorder.StopAsync();
        var rows = await RecordingReader.ReadAsync(stopped.Path);

        Assert.True(started.Active);
        Assert.Equal(Path.Combine(directory.Path, "recordings", "run-1.parquet"), started.Path);
        Assert.False(stopped.Active);
        Assert.Equal(expected.Count, stopped.RowsWritten);
        Assert.Equal(0, stopped.RowsDropped);
        Assert.Null(stopped.LastError);
        Assert.Equal(expected, rows.Select(r => (r.Sequence, r.FilterEpoch)));
        var first = rows[0];
        Assert.Equal("keep-1", first.Runtime);
        Assert.Equal("InputTransitioned", first.Kind);
        Assert.Equal("Consumed", first.Phase);
        Assert.Equal(1.0, first.LatencyMs);
        Assert.Null(first.Run);
        Assert.Equal(Events.Start.UtcDateTime, first.Time);
        Assert.DoesNotContain(rows, r => r.Kind == "Published");
        Assert.Equal(stopped, recorder.GetStatus());
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/etc/passwd")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("c:\\x")]
    public async Task Names_that_are_not_plain_file_names_are_rejected(string name)
    {
        using var directory = new TempDirectory();
        await using var recorder = new ParquetRecorder(Options.Create(new AnalyticsOptions { DataDirectory = directory.Path }), TimeProvider.System);

        var error = await Assert.ThrowsAsync<RuntimeException>(() => recorder.StartAsync(name));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("name", Assert.Single(error.Violations).Field);
        Assert.False(recorder.GetStatus().Active);
    }

    [Fact]
    public async Task One_recording_at_a_time_and_never_over_an_existing_file()
    {
        using var directory = new TempDirectory();
        await using var recorder = new ParquetRecorder(Options.Create(new AnalyticsOptions { DataDirectory = directory.Path }), TimeProvider.System);

        var first = await recorder.StartAsync("");
        var busy = await Assert.ThrowsAsync<RuntimeException>(() => recorder.StartAsync("other"));
        await recorder.StopAsync();
        var exists = await Assert.ThrowsAsync<RuntimeException>(() => recorder.StartAsync(Path.GetFileName(first.Path)));

        Assert.Equal("RECORDING_ACTIVE", busy.Reason);
        Assert.Equal("RECORDING_EXISTS", exists.Reason);
        Assert.Empty(await RecordingReader.ReadAsync(first.Path));
    }

    [Fact]
    public async Task A_full_queue_drops_and_counts_rows_and_stop_still_writes_a_valid_file()
    {
        using var directory = new TempDirectory();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var recorder = new ParquetRecorder(
            Options.Create(new AnalyticsOptions { DataDirectory = directory.Path, RecordingQueueCapacity = 10 }), TimeProvider.System)
        {
            WriterGate = gate.Task,
        };

        await recorder.StartAsync("full");
        for (var i = 1; i <= 25; i++)
        {
            recorder.Observe(Events.Input(i, "r", InputPhase.Accepted), 4);
        }

        var during = recorder.GetStatus();
        gate.SetResult();
        var stopped = await recorder.StopAsync();
        var rows = await RecordingReader.ReadAsync(stopped.Path);

        Assert.Equal(15, during.RowsDropped);
        Assert.Equal(10, stopped.RowsWritten);
        Assert.Equal(15, stopped.RowsDropped);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), rows.Select(r => r.Sequence));
        Assert.All(rows, r => Assert.Equal(4, r.FilterEpoch));
    }

    [Fact]
    public async Task A_batch_bigger_than_the_room_left_keeps_what_fits_and_counts_the_rest()
    {
        using var directory = new TempDirectory();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var recorder = new ParquetRecorder(
            Options.Create(new AnalyticsOptions { DataDirectory = directory.Path, RecordingQueueCapacity = 10, RecordingBatchSize = 4 }), TimeProvider.System)
        {
            WriterGate = gate.Task,
        };
        await recorder.StartAsync("batches");

        recorder.Observe([.. Enumerable.Range(1, 6).Select(i => Events.Input(i, "r", InputPhase.Accepted))], 2);
        recorder.Observe([.. Enumerable.Range(7, 6).Select(i => Events.Input(i, "r", InputPhase.Accepted))], 3);
        gate.SetResult();
        var stopped = await recorder.StopAsync();
        var rows = await RecordingReader.ReadAsync(stopped.Path);

        Assert.Equal((10L, 2L), (stopped.RowsWritten, stopped.RowsDropped));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), rows.Select(r => r.Sequence));
        Assert.Equal(new long[] { 2, 2, 2, 2, 2, 2, 3, 3, 3, 3 }, rows.Select(r => r.FilterEpoch));
    }

    [Fact]
    public async Task Rows_wait_for_a_full_row_group_or_the_flush_interval()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(Events.Start);
        await using var recorder = new ParquetRecorder(
            Options.Create(new AnalyticsOptions { DataDirectory = directory.Path, RecordingBatchSize = 10, RecordingFlushInterval = TimeSpan.FromSeconds(1) }), time);
        await recorder.StartAsync("flush");

        recorder.Observe([.. Enumerable.Range(1, 3).Select(i => Events.Input(i, "r", InputPhase.Accepted))], 1);
        var beforeTheInterval = recorder.GetStatus().RowsWritten;
        await UntilWrittenAsync(recorder, 3, () => time.Advance(TimeSpan.FromMilliseconds(500)));
        recorder.Observe([.. Enumerable.Range(4, 10).Select(i => Events.Input(i, "r", InputPhase.Accepted))], 1);
        await UntilWrittenAsync(recorder, 13, () => { });
        var stopped = await recorder.StopAsync();

        Assert.Equal(0, beforeTheInterval);
        Assert.Equal(Enumerable.Range(1, 13).Select(i => (long)i), (await RecordingReader.ReadAsync(stopped.Path)).Select(r => r.Sequence));
    }

    /// <summary>Waits (bounded) until the recorder has written <paramref name="rows"/>, doing <paramref name="step"/> between looks.</summary>
    private static async Task UntilWrittenAsync(ParquetRecorder recorder, long rows, Action step)
    {
        for (var attempt = 0; recorder.GetStatus().RowsWritten < rows; attempt++)
        {
            Assert.True(attempt < 500, $"the recorder wrote {recorder.GetStatus().RowsWritten} rows, not {rows}");
            step();
            await Task.Delay(10);
        }
    }
}
