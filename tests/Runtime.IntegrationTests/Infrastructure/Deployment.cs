using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Networks;
using DotNet.Testcontainers.Volumes;

namespace Runtime.IntegrationTests.Infrastructure;

/// <summary>
/// A server container on a data volume, and optionally a sample sink, on a private Docker network made for this
/// deployment (the server reaches the sink as <c>http://sink:6000</c>). The server can be killed, stopped and
/// started again on the same volume. Disposing removes every container, the network and the volume.
/// </summary>
public sealed class Deployment : IAsyncDisposable
{
    /// <summary>Where the server listens inside its container.</summary>
    public const int ServerPort = 5000;

    /// <summary>Where the sink listens inside its container.</summary>
    public const int SinkPort = 6000;

    /// <summary>The sink's address as the server sees it on the deployment's network.</summary>
    public static readonly Uri SinkAddressForServer = new($"http://sink:{SinkPort}");

    // Inside a container the server must listen beyond loopback; these are the explicit, logged opt-outs of the
    // bind guard (docs/security.md). The suite talks to it over 127.0.0.1 only.
    private static readonly Dictionary<string, string> ServerEnvironment = new()
    {
        ["Runtime__Security__AllowUnauthenticatedNonLoopback"] = "true",
        ["Runtime__Security__AllowPlaintextNonLoopback"] = "true",
    };

    private readonly INetwork _network;
    private readonly IVolume _volume;
    private readonly IReadOnlyDictionary<string, string> _serverEnvironment;

    private Deployment(INetwork network, IVolume volume, IReadOnlyDictionary<string, string> serverEnvironment)
    {
        _network = network;
        _volume = volume;
        _serverEnvironment = serverEnvironment;
    }

    /// <summary>The server running now (replaced by <see cref="RestartServerAsync"/>).</summary>
    public ServerNode Server { get; private set; } = null!;

    /// <summary>The sample sink, when the deployment has one.</summary>
    public AppContainer? Sink { get; private set; }

    /// <summary>Docker operations beyond Testcontainers (kill, stop with a grace period).</summary>
    public DockerEngine Docker { get; } = new();

    /// <summary>Starts a deployment and waits until the server reports SERVING.</summary>
    /// <param name="withSink">Also start the sample sink (before the server).</param>
    /// <param name="serverSettings">Extra server configuration as environment variables (<c>Runtime__X</c>).</param>
    public static async Task<Deployment> StartAsync(bool withSink = false, IReadOnlyDictionary<string, string>? serverSettings = null)
    {
        var network = new NetworkBuilder().WithName($"runtime-it-{Guid.NewGuid():N}").Build();
        var volume = new VolumeBuilder().WithName($"runtime-it-{Guid.NewGuid():N}").Build();
        var environment = new Dictionary<string, string>(ServerEnvironment);
        foreach (var (key, value) in serverSettings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var deployment = new Deployment(network, volume, environment);
        try
        {
            await network.CreateAsync();
            await volume.CreateAsync();
            if (withSink)
            {
                await deployment.StartSinkAsync();
            }

            deployment.Server = await deployment.StartServerNodeAsync();
            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    /// <summary>Removes the current server container (whatever state it is in) and starts a new one on the same volume.</summary>
    public async Task<ServerNode> RestartServerAsync()
    {
        await Server.DisposeAsync();
        Server = await StartServerNodeAsync();
        return Server;
    }

    /// <summary>
    /// Starts a helper program from the server image (e.g. <c>/app/subscriber</c>) as a container of its own on the
    /// deployment's network, where it reaches the server as <c>http://server:5000</c>. The caller disposes it.
    /// </summary>
    public Task<AppContainer> StartToolAsync(string program, params string[] arguments) =>
        AppContainer.StartAsync(new AppContainerOptions(TestEnvironment.ServerImage, 0)
        {
            Network = _network,
            Entrypoint = program,
            Command = arguments,
        });

    /// <summary>The server's address as other containers on the deployment's network see it.</summary>
    public static readonly Uri ServerAddressForContainers = new($"http://server:{ServerPort}");

    /// <summary>Starts the sink again after it was stopped (same container: same network name and address).</summary>
    public async Task StartSinkAsync()
    {
        if (Sink is not null)
        {
            await Sink.Container.StartAsync();
            return;
        }

        Sink = await AppContainer.StartAsync(new AppContainerOptions(TestEnvironment.SinkImage, SinkPort)
        {
            Network = _network,
            Aliases = ["sink"],
        });
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (Sink is not null)
        {
            await Sink.DisposeAsync();
        }

        await _network.DisposeAsync();
        await _volume.DisposeAsync();
        Docker.Dispose();
    }

    private async Task<ServerNode> StartServerNodeAsync()
    {
        var container = await AppContainer.StartAsync(new AppContainerOptions(TestEnvironment.ServerImage, ServerPort)
        {
            Network = _network,
            Aliases = ["server"],
            Volume = (_volume, "/data"),
            Environment = _serverEnvironment,
        });
        var node = new ServerNode(container);
        try
        {
            await ServerProbe.WaitServingAsync(node.Channel);
        }
        catch (TimeoutException e)
        {
            var logs = await container.LogsAsync();
            await node.DisposeAsync();
            throw new TimeoutException($"{e.Message}\nserver logs:\n{logs}", e);
        }

        return node;
    }
}
