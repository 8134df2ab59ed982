using Docker.DotNet;
using DotNet.Testcontainers.Containers;

namespace Runtime.IntegrationTests.Infrastructure;

/// <summary>
/// docker pause with a bounded retry. On cgroup v1 the freezer gives up ("unable to freeze") when the container's
/// threads do not all stop in time, which happens on a loaded 2-core machine; runc thaws it again, so asking again
/// is safe. Any other error, or the last attempt's, is the test's failure.
/// </summary>
public static class ContainerPause
{
    private const int Attempts = 10;

    /// <summary>Pauses <paramref name="container"/>, retrying only a freeze that did not take.</summary>
    public static async Task PauseAsync(IContainer container, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await container.PauseAsync(cancellationToken);
                return;
            }
            catch (DockerApiException e) when (attempt < Attempts && e.Message.Contains("unable to freeze", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
            }
        }
    }
}
