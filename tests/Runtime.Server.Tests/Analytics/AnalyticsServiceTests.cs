using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Parquet;
using Runtime.Analytics.Pipeline;
using Runtime.Analytics.Recording;
using Runtime.Contracts.V1;
using InputPhase = Runtime.Core.Inputs.InputPhase;
using Runtime.Observation.Events;
using Runtime.Server.Hosting;
using Runtime.Server.Tests.Observation;
using DomainEvent = Runtime.Core.Events.RuntimeEvent;
using DomainKind = Runtime.Core.Events.RuntimeEventKind;

namespace Runtime.Server.Tests.Analytics;

public sealed class AnalyticsServiceTests : IAsyncLifetime
{
    private ObservationServer _server = null!;
    private AnalyticsService.AnalyticsServiceClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ObservationServer.StartAsync();
        _client = new AnalyticsService.AnalyticsServiceClient(_server.Channel);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Filter_stats_and_trie_follow_the_events_with_the_filter_epoch()
    {
        var set = await _client.SetFilterAsync(new SetFilterRequest { Filter = "runtime ^= \"orders-\"" });
        await PublishAsync(
            Input("orders-1", InputPhase.Accepted, bytes: 100),
            Input("orders-1", InputPhase.Consumed, latency: TimeSpan.FromMilliseconds(20)),
            Input("orders-2", InputPhase.Accepted, bytes: 50),
            Input("billing-1", InputPhase.Accepted, bytes: 1_000));

        var filter = await _client.GetFilterAsync(new GetFilterRequest());
        var stats = await _client.GetStatsAsync(new GetStatsRequest { TopN = 1 });
        var trie = await _client.GetTrieAsync(new GetTrieRequest { IncludeFoldedStacks = true });

        Assert.Equal(1UL, set.Epoch);
        Assert.Equal("runtime ^= \"orders-\"", filter.Filter);
        Assert.Equal(1UL, filter.Epoch);
        Assert.Equal(1UL, stats.FilterEpoch);
        Assert.Equal(2UL, stats.Totals.Accepted);
        Assert.Equal(150UL, stats.Totals.Bytes);
        Assert.Equal(1UL, stats.AcceptToConsume.Count);
        Assert.InRange(stats.AcceptToConsume.P50.ToTimeSpan().TotalMilliseconds, 20, 20 * 1.001); // HdrHistogram, 3 digits
        Assert.Equal("orders-1", Assert.Single(stats.Runtimes).Key);
        Assert.Equal(5, stats.Rates.Count);
        Assert.Equal(3UL, trie.Root.Count);
        Assert.Equal(["runtime", "kind"], trie.Fields);
        Assert.Equal("orders-1;InputTransitioned 2\norders-2;InputTransitioned 1\n", trie.FoldedStacks);
    }

    [Fact]
    public async Task Configure_and_reset_start_fresh_trie_baselines()
    {
        var configured = await _client.ConfigureTrieAsync(new ConfigureTrieRequest { Fields = { "phase", "label:tenant" }, Weight = TrieWeight.Bytes });
        await PublishAsync(Input("a", InputPhase.Accepted, bytes: 7));
        var trie = await _client.GetTrieAsync(new GetTrieRequest { KeepTop = 1 });
        var reset = await _client.ResetTrieAsync(new ResetTrieRequest());
        var afterReset = await _client.GetTrieAsync(new GetTrieRequest());

        Assert.Equal(configured.Version, trie.Version);
        Assert.Equal(TrieWeight.Bytes, trie.Weight);
        Assert.Equal(7, trie.Root.Weight);
        Assert.Equal("Accepted", Assert.Single(trie.Root.Children).Name);
        Assert.Equal(configured.Version + 1, reset.Version);
        Assert.Equal(0, afterReset.Root.Weight);
    }

    [Fact]
    public async Task The_filter_its_epoch_and_the_probes_survive_a_restart()
    {
        await _client.SetFilterAsync(new SetFilterRequest { Filter = "runtime ^= \"a\"" });
        var set = await _client.SetFilterAsync(new SetFilterRequest { Filter = "runtime ^= \"orders-\"" });
        await _client.SetProbeAsync(new SetProbeRequest { Category = EventCategory.Transport, Enabled = false });
        await _server.StopAsync();

        await using var restarted = await ObservationServer.StartAsync(_server.DataDirectory, _server.Time);
        var client = new AnalyticsService.AnalyticsServiceClient(restarted.Channel);
        var filter = await client.GetFilterAsync(new GetFilterRequest());
        var probes = await client.ListProbesAsync(new ListProbesRequest());
        var stream = restarted.Services.GetRequiredService<EventStream>();
        await restarted.Services.GetRequiredService<Runtime.Core.Events.IEventLog>().AppendAsync(
            [Input("orders-1", InputPhase.Accepted, bytes: 10), Input("billing-1", InputPhase.Accepted, bytes: 10)], CancellationToken.None);
        await restarted.Services.GetRequiredService<AnalyticsPump>().WhenProcessedAsync(stream.LastSequence, CancellationToken.None).WaitAsync(ObservationServer.Patience);
        var stats = await client.GetStatsAsync(new GetStatsRequest());
        var next = await client.SetFilterAsync(new SetFilterRequest { Filter = "" });

        Assert.Equal(2UL, set.Epoch);
        Assert.Equal(("runtime ^= \"orders-\"", 2UL, set.ChangedAt), (filter.Filter, filter.Epoch, filter.ChangedAt));
        Assert.False(probes.Probes.Single(p => p.Category == EventCategory.Transport).Enabled);
        Assert.Equal((2UL, 1UL), (stats.FilterEpoch, stats.Totals.Accepted));
        Assert.Equal(3UL, next.Epoch);
    }

    [Fact]
    public async Task Probes_switch_categories_and_are_listed()
    {
        var set = await _client.SetProbeAsync(new SetProbeRequest { Category = EventCategory.Published, Enabled = false });
        var listed = await _client.ListProbesAsync(new ListProbesRequest());
        var stream = _server.Services.GetRequiredService<EventStream>();

        Assert.False(set.Probe.Enabled);
        Assert.Equal(5, listed.Probes.Count);
        Assert.False(listed.Probes.Single(p => p.Category == EventCategory.Published).Enabled);
        Assert.False(stream.IsEnabled(Runtime.Core.Events.EventCategory.Published));
    }

    [Fact]
    public async Task A_recording_started_and_stopped_over_grpc_holds_the_filtered_rows()
    {
        var started = await _client.StartRecordingAsync(new StartRecordingRequest { Name = "grpc" });
        await PublishAsync(Input("a", InputPhase.Accepted), Input("b", InputPhase.Accepted));
        await _client.SetFilterAsync(new SetFilterRequest { Filter = "runtime == \"c\"" });
        await PublishAsync(Input("a", InputPhase.Accepted), Input("c", InputPhase.Accepted));
        var during = await _client.GetRecordingStatusAsync(new GetRecordingStatusRequest());
        var stopped = await _client.StopRecordingAsync(new StopRecordingRequest());

        Assert.True(started.Status.Active);
        Assert.Equal(Path.Combine(_server.DataDirectory, "recordings", "grpc.parquet"), started.Status.Path);
        Assert.True(during.Status.Active);
        Assert.False(stopped.Status.Active);
        Assert.Equal(3UL, stopped.Status.RowsWritten);
        Assert.NotNull(stopped.Status.StoppedAt);
        var epochs = new List<long>();
        await using var reader = await ParquetReader.CreateAsync(stopped.Status.Path);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var values = new long[group.RowCount];
            await group.ReadAsync(RecordingSchema.FilterEpoch, values.AsMemory());
            epochs.AddRange(values);
        }

        Assert.Equal([0L, 0L, 1L], epochs);
    }

    [Theory]
    [InlineData("SetFilter", "filter")]
    [InlineData("ConfigureTrie", "fields[0]")]
    [InlineData("SetProbe", "category")]
    [InlineData("StartRecording", "name")]
    public async Task Malformed_requests_are_invalid_argument_naming_the_field(string call, string field)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => call switch
        {
            "SetFilter" => _client.SetFilterAsync(new SetFilterRequest { Filter = "latency_ms > " }).ResponseAsync,
            "ConfigureTrie" => _client.ConfigureTrieAsync(new ConfigureTrieRequest { Fields = { "colour" } }).ResponseAsync,
            "SetProbe" => _client.SetProbeAsync(new SetProbeRequest()).ResponseAsync,
            _ => _client.StartRecordingAsync(new StartRecordingRequest { Name = "../escape" }).ResponseAsync,
        });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var status = error.GetRpcStatus()!;
        Assert.Equal("runtime", Assert.Single(status.Details, d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>().Domain);
        var badRequest = Assert.Single(status.Details, d => d.Is(BadRequest.Descriptor)).Unpack<BadRequest>();
        Assert.Contains(badRequest.FieldViolations, v => v.Field == field);
        Assert.Equal(0UL, (await _client.GetFilterAsync(new GetFilterRequest())).Epoch);
    }

    [Fact]
    public async Task A_second_recording_while_one_runs_is_failed_precondition()
    {
        await _client.StartRecordingAsync(new StartRecordingRequest());

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.StartRecordingAsync(new StartRecordingRequest { Name = "second" }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("runtime.v1.AnalyticsService", HostingExtensions.ServedServiceNames);
    }

    private async Task PublishAsync(params DomainEvent[] events)
    {
        var stream = _server.Services.GetRequiredService<EventStream>();
        await _server.Services.GetRequiredService<Runtime.Core.Events.IEventLog>().AppendAsync(events, CancellationToken.None);

        await _server.Services.GetRequiredService<AnalyticsPump>().WhenProcessedAsync(stream.LastSequence, CancellationToken.None).WaitAsync(ObservationServer.Patience);
    }

    private DomainEvent Input(string runtime, InputPhase phase, long bytes = 1, TimeSpan? latency = null) => new()
    {
        Kind = DomainKind.InputTransitioned,
        Time = _server.Time.GetUtcNow(),
        RuntimeId = runtime,
        InputId = Guid.NewGuid().ToString("N"),
        ToPhase = phase,
        Bytes = bytes,
        Latency = latency,
    };
}
