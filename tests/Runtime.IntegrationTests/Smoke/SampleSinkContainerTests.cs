using Runtime.IntegrationTests.Infrastructure;

namespace Runtime.IntegrationTests.Smoke;

/// <summary>The sample sink image as a container: its stats endpoint on a loopback port, its HEALTHCHECK, SIGTERM.</summary>
public sealed class SampleSinkContainerTests
{
    [Fact]
    public async Task The_sink_container_serves_stats_reports_healthy_and_stops_cleanly_on_sigterm()
    {
        await using var sink = await AppContainer.StartAsync(new AppContainerOptions(TestEnvironment.SinkImage, Deployment.SinkPort));
        using var docker = new DockerEngine();

        await Eventually.UntilAsync("the sink's stats endpoint", TimeSpan.FromSeconds(60), async _ =>
        {
            var stats = await SinkStats.ReadAsync(sink.Address);
            return stats.Deliveries == 0 && stats.Runtimes.Count == 0;
        }, TimeSpan.FromMilliseconds(200));
        await Eventually.UntilAsync("Docker to report the sink healthy", TimeSpan.FromSeconds(60),
            async ct => await docker.HealthStatusAsync(sink.Id, ct) == "healthy", TimeSpan.FromMilliseconds(500));

        Assert.Equal(0, await docker.StopAsync(sink.Id, TimeSpan.FromSeconds(15)));
    }
}
