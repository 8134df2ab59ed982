using Runtime.Analytics;
using Runtime.Analytics.Stats;

namespace Runtime.Server.Hosting;

/// <summary>Wires analytics into the server: stats, trie, filter, probes and recording over the event stream.</summary>
public static class AnalyticsRegistration
{
    /// <summary>
    /// Binds <see cref="AnalyticsOptions"/> from <c>Runtime:Analytics</c> (data directory from
    /// <c>Runtime:DataDirectory</c>) and <see cref="StatsOptions"/> from <c>Runtime:Analytics:Stats</c>, and registers
    /// analytics. Needs observation (the event stream) registered too.
    /// </summary>
    public static IHostApplicationBuilder AddRuntimeAnalytics(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddOptions<AnalyticsOptions>()
            .Bind(configuration.GetSection(AnalyticsOptions.SectionName))
            .PostConfigure(o => o.DataDirectory = Path.GetFullPath(
                configuration.GetSection(ServerOptions.Section).Get<ServerOptions>()?.DataDirectory ?? new ServerOptions().DataDirectory));
        builder.Services.AddOptions<StatsOptions>().Bind(configuration.GetSection(AnalyticsOptions.SectionName + ":Stats"));
        builder.Services.AddRuntimeAnalytics();
        return builder;
    }
}
