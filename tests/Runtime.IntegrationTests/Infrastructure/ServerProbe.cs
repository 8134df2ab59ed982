using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Runtime.IntegrationTests.Infrastructure;

/// <summary>Asks a server's <c>grpc.health.v1</c> from the host.</summary>
public static class ServerProbe
{
    /// <summary>How long a container may take to start serving (a cold .NET start on a busy 2-core machine).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The server's overall health status, with a short deadline.</summary>
    public static async Task<HealthCheckResponse.Types.ServingStatus> CheckAsync(GrpcChannel channel, CancellationToken cancellationToken = default)
    {
        var reply = await new Health.HealthClient(channel).CheckAsync(
            new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
        return reply.Status;
    }

    /// <summary>Waits (bounded) until the server at <paramref name="channel"/> answers SERVING.</summary>
    public static Task WaitServingAsync(GrpcChannel channel, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(
            $"{channel.Target} to report SERVING",
            timeout ?? StartTimeout,
            async ct => await CheckAsync(channel, ct) == HealthCheckResponse.Types.ServingStatus.Serving,
            TimeSpan.FromMilliseconds(200));
}
