using Grpc.Core;
using Runtime.Analytics.Filters;
using Runtime.Analytics.Probes;
using Runtime.Analytics.Recording;
using Runtime.Analytics.Stats;
using Runtime.Analytics.Trie;
using Runtime.Contracts.V1;
using Runtime.Server.Mapping;

namespace Runtime.Server.Services;

/// <summary>AnalyticsService over gRPC: maps proto ⇄ domain and delegates to the analytics parts.</summary>
public sealed class AnalyticsGrpcService(
    StatsEngine stats, GroupingTrie trie, ServerFilter filter, ProbeRegistry probes, ParquetRecorder recorder)
    : AnalyticsService.AnalyticsServiceBase
{
    /// <inheritdoc />
    public override Task<GetStatsResponse> GetStats(GetStatsRequest request, ServerCallContext context) =>
        Task.FromResult(stats.GetSnapshot((int)Math.Min(request.TopN, int.MaxValue), request.Order.ToDomain()).ToProto());

    /// <inheritdoc />
    public override Task<GetTrieResponse> GetTrie(GetTrieRequest request, ServerCallContext context) =>
        Task.FromResult(trie.GetSnapshot((int)Math.Min(request.KeepTop, int.MaxValue)).ToProto(request.IncludeFoldedStacks));

    /// <inheritdoc />
    public override Task<ConfigureTrieResponse> ConfigureTrie(ConfigureTrieRequest request, ServerCallContext context) =>
        Task.FromResult(new ConfigureTrieResponse { Version = (ulong)trie.Configure(request.ToDomain()) });

    /// <inheritdoc />
    public override Task<ResetTrieResponse> ResetTrie(ResetTrieRequest request, ServerCallContext context) =>
        Task.FromResult(new ResetTrieResponse { Version = (ulong)trie.Reset() });

    /// <inheritdoc />
    public override Task<GetFilterResponse> GetFilter(GetFilterRequest request, ServerCallContext context) =>
        Task.FromResult(filter.Current.ToGetResponse());

    /// <inheritdoc />
    public override Task<SetFilterResponse> SetFilter(SetFilterRequest request, ServerCallContext context) =>
        Task.FromResult(filter.Set(request.Filter).ToSetResponse());

    /// <inheritdoc />
    public override Task<ListProbesResponse> ListProbes(ListProbesRequest request, ServerCallContext context) =>
        Task.FromResult(new ListProbesResponse { Probes = { probes.List().Select(p => p.ToProto()) } });

    /// <inheritdoc />
    public override Task<SetProbeResponse> SetProbe(SetProbeRequest request, ServerCallContext context) =>
        Task.FromResult(new SetProbeResponse { Probe = probes.Set(request.Category.ToDomain(), request.Enabled).ToProto() });

    /// <inheritdoc />
    public override async Task<StartRecordingResponse> StartRecording(StartRecordingRequest request, ServerCallContext context) =>
        new() { Status = (await recorder.StartAsync(request.Name, context.CancellationToken)).ToProto() };

    /// <inheritdoc />
    public override async Task<StopRecordingResponse> StopRecording(StopRecordingRequest request, ServerCallContext context) =>
        new() { Status = (await recorder.StopAsync(context.CancellationToken)).ToProto() };

    /// <inheritdoc />
    public override Task<GetRecordingStatusResponse> GetRecordingStatus(GetRecordingStatusRequest request, ServerCallContext context) =>
        Task.FromResult(new GetRecordingStatusResponse { Status = recorder.GetStatus().ToProto() });
}
