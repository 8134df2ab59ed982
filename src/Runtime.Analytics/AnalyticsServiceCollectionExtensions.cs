using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Runtime.Analytics.Filters;
using Runtime.Analytics.Pipeline;
using Runtime.Analytics.Probes;
using Runtime.Analytics.Recording;
using Runtime.Analytics.Stats;
using Runtime.Analytics.Trie;
using Runtime.Observation.Events;

namespace Runtime.Analytics;

/// <summary>Registers analytics over the event stream.</summary>
public static class AnalyticsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the server filter, stats engine, grouping trie, recorder, probes and the pump that feeds them from
    /// <see cref="EventStream"/> (registered by observation). The host binds <see cref="AnalyticsOptions"/> and
    /// <see cref="StatsOptions"/>.
    /// </summary>
    public static IServiceCollection AddRuntimeAnalytics(this IServiceCollection services)
    {
        services.AddOptions<AnalyticsOptions>();
        services.AddOptions<StatsOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ServerFilter(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<AnalyticsOptions>>()));
        services.TryAddSingleton<StatsEngine>();
        services.TryAddSingleton(sp => new GroupingTrie(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ParquetRecorder>();
        services.TryAddSingleton(sp => new ProbeRegistry(
            sp.GetRequiredService<EventStream>(), sp.GetRequiredService<IOptions<AnalyticsOptions>>()));
        services.TryAddSingleton(sp => new AnalyticsPump(
            sp.GetRequiredService<EventStream>(),
            sp.GetRequiredService<ServerFilter>(),
            [sp.GetRequiredService<StatsEngine>(), sp.GetRequiredService<GroupingTrie>(), sp.GetRequiredService<ParquetRecorder>()],
            sp.GetRequiredService<IOptions<AnalyticsOptions>>().Value.PumpPause));
        services.AddHostedService<AnalyticsHostedService>();
        return services;
    }
}
