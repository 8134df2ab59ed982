using Microsoft.Extensions.Hosting;
using Runtime.Analytics.Pipeline;
using Runtime.Analytics.Probes;
using Runtime.Analytics.Recording;

namespace Runtime.Analytics;

/// <summary>
/// Runs the analytics pump with the host. Taking <see cref="ProbeRegistry"/> applies the saved probe switches at
/// start-up; stopping finishes a running recording so its file is valid.
/// </summary>
internal sealed class AnalyticsHostedService(AnalyticsPump pump, ProbeRegistry probes, ParquetRecorder recorder) : BackgroundService
{
    /// <summary>The probe switches applied at start-up.</summary>
    public ProbeRegistry Probes { get; } = probes;

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await recorder.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => pump.RunAsync(stoppingToken);
}
