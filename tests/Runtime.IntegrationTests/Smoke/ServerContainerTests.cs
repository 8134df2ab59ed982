using Grpc.Health.V1;
using Runtime.IntegrationTests.Infrastructure;
using V1 = Grpc.Reflection.V1;

namespace Runtime.IntegrationTests.Smoke;

/// <summary>The server image as a container: serving, logging, stopping on SIGTERM, restarting on its volume.</summary>
public sealed class ServerContainerTests
{
    [Fact]
    public async Task The_server_container_serves_health_on_loopback_logs_json_stops_on_sigterm_and_restarts_on_its_volume()
    {
        await using var deployment = await Deployment.StartAsync();
        var first = deployment.Server;

        // Published on 127.0.0.1 only, and serving there.
        Assert.Equal("127.0.0.1", first.Container.Address.Host);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await ServerProbe.CheckAsync(first.Channel));

        // Runs as the non-root user and can write its data volume; leave a mark for the next container.
        var whoami = await first.Container.Container.ExecAsync(["sh", "-c", "id -u && touch /data/mark-from-first-container"]);
        Assert.Equal(0, whoami.ExitCode);
        Assert.Equal("1654", whoami.Stdout.Trim());

        // Structured JSON logs on stdout, with the explicit security opt-out logged by the server.
        var logs = await first.Container.LogsAsync();
        // (Beside the gRPC address the console's loopback one is listed.)
        Assert.Matches("\"Message\":\"Runtime serving on [^\"]*http://0\\.0\\.0\\.0:5000[^\"]* with data in /data\"", logs);

        // SIGTERM: a graceful stop well within the grace period, exit code 0.
        var exitCode = await deployment.Docker.StopAsync(first.Container.Id, TimeSpan.FromSeconds(20));
        Assert.Equal(0, exitCode);
        Assert.Contains("Runtime stopping", await first.Container.LogsAsync(), StringComparison.Ordinal);

        // A new container on the same volume serves and sees what the first one wrote.
        var second = await deployment.RestartServerAsync();
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await ServerProbe.CheckAsync(second.Channel));
        var mark = await second.Container.Container.ExecAsync(["test", "-f", "/data/mark-from-first-container"]);
        Assert.Equal(0, mark.ExitCode);
    }

    [Fact]
    public async Task The_image_healthcheck_reports_healthy_through_grpc_health()
    {
        await using var deployment = await Deployment.StartAsync();

        await Eventually.UntilAsync("Docker to report the container healthy", TimeSpan.FromSeconds(60),
            async ct => await deployment.Docker.HealthStatusAsync(deployment.Server.Container.Id, ct) == "healthy",
            TimeSpan.FromMilliseconds(500));

        var probe = await deployment.Server.Container.Container.ExecAsync(["/app/healthprobe", "http://127.0.0.1:5000"]);
        Assert.Equal(0, probe.ExitCode);
        Assert.Equal("Serving", probe.Stdout.Trim());
    }
}

/// <summary>What any server offers, checked on the shared server (a container, or <c>RUNTIME_TEST_SERVER</c>).</summary>
[Collection(SharedServerCollection.Name)]
public sealed class SharedServerTests(SharedServerFixture fixture)
{
    [Fact]
    public async Task Health_is_serving_and_reflection_lists_the_services()
    {
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await ServerProbe.CheckAsync(fixture.Channel));

        using var call = new V1.ServerReflection.ServerReflectionClient(fixture.Channel)
            .ServerReflectionInfo(deadline: DateTime.UtcNow.AddSeconds(10));
        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("grpc.health.v1.Health", services);
        Assert.Contains("grpc.reflection.v1.ServerReflection", services);
    }
}
