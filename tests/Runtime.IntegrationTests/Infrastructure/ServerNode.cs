using Grpc.Net.Client;

namespace Runtime.IntegrationTests.Infrastructure;

/// <summary>
/// One server container with a channel to it. A node is one process lifetime: after a kill or a stop, start a new
/// node on the same volume (<see cref="Deployment.RestartServerAsync"/>).
/// </summary>
public sealed class ServerNode(AppContainer container) : IAsyncDisposable
{
    /// <summary>The container.</summary>
    public AppContainer Container { get; } = container;

    /// <summary>A channel to the server over its published loopback port.</summary>
    public GrpcChannel Channel { get; } = GrpcChannel.ForAddress(container.Address);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await Container.DisposeAsync();
    }
}
