using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Configurations;

namespace Runtime.IntegrationTests.Infrastructure;

/// <summary>
/// The Docker operations Testcontainers does not offer: SIGKILL, SIGTERM with a chosen grace period, exit codes.
/// Talks to the engine Testcontainers found (<c>DOCKER_HOST</c>, else the local socket).
/// </summary>
public sealed class DockerEngine : IDisposable
{
    private readonly IDockerClient _client =
        TestcontainersSettings.OS.DockerEndpointAuthConfig.GetDockerClientBuilder(Guid.NewGuid()).Build();

    /// <summary>Kills the container's processes at once (SIGKILL): no shutdown code runs, like a power cut.</summary>
    public Task KillAsync(string containerId, CancellationToken cancellationToken = default) =>
        _client.Containers.KillContainerAsync(containerId, new ContainerKillParameters { Signal = "SIGKILL" }, cancellationToken);

    /// <summary>
    /// Sends SIGTERM and waits for the exit, SIGKILL after <paramref name="grace"/> (what <c>docker stop -t</c> does).
    /// Returns the exit code: 0 for a clean stop, 137 when it had to be killed.
    /// </summary>
    public async Task<long> StopAsync(string containerId, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        await _client.Containers.StopContainerAsync(
            containerId, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)grace.TotalSeconds }, cancellationToken);
        return await ExitCodeAsync(containerId, cancellationToken);
    }

    /// <summary>Sends SIGTERM without waiting: the caller watches what happens during the stop.</summary>
    public Task SignalTermAsync(string containerId, CancellationToken cancellationToken = default) =>
        _client.Containers.KillContainerAsync(containerId, new ContainerKillParameters { Signal = "SIGTERM" }, cancellationToken);

    /// <summary>Waits until the container has exited and returns its exit code.</summary>
    public async Task<long> WaitExitAsync(string containerId, CancellationToken cancellationToken = default) =>
        (await _client.Containers.WaitContainerAsync(containerId, cancellationToken)).StatusCode;

    /// <summary>The exit code of a stopped container.</summary>
    public async Task<long> ExitCodeAsync(string containerId, CancellationToken cancellationToken = default) =>
        (await _client.Containers.InspectContainerAsync(containerId, cancellationToken)).State?.ExitCode ?? -1;

    /// <summary>The Docker health status (<c>starting</c>, <c>healthy</c>, <c>unhealthy</c>) from the image's HEALTHCHECK.</summary>
    public async Task<string?> HealthStatusAsync(string containerId, CancellationToken cancellationToken = default) =>
        (await _client.Containers.InspectContainerAsync(containerId, cancellationToken)).State?.Health?.Status;

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();
}
