using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Runtime.Server.Hosting;

/// <summary>
/// Healthy once the host has started and until it starts stopping, so load balancers and clients watching
/// <c>grpc.health.v1</c> see NOT_SERVING as soon as a graceful shutdown begins.
/// </summary>
public sealed class LifetimeHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("shutting down"));
        }

        return Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("starting"));
    }
}
