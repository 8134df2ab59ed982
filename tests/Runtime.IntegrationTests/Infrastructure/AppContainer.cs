using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;
using DotNet.Testcontainers.Networks;
using DotNet.Testcontainers.Volumes;

namespace Runtime.IntegrationTests.Infrastructure;

/// <summary>How to run one app container (the server or the sink).</summary>
/// <param name="Image">A local image; never pulled.</param>
/// <param name="Port">The port the app listens on inside the container, published on 127.0.0.1 only (0: none).</param>
public sealed record AppContainerOptions(string Image, int Port)
{
    /// <summary>Runs this program of the image instead of its entrypoint (a tool published beside the app).</summary>
    public string? Entrypoint { get; init; }

    /// <summary>Arguments to the entrypoint.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>The network to join (so the server reaches the sink by alias).</summary>
    public INetwork? Network { get; init; }

    /// <summary>Names this container has on <see cref="Network"/>.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>A volume to mount and where.</summary>
    public (IVolume Volume, string Path)? Volume { get; init; }

    /// <summary>Extra environment variables (configuration overrides).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A started app container with its port published on 127.0.0.1 at a random host port. Disposing removes it
/// (the volume and network belong to whoever created them).
/// </summary>
public sealed class AppContainer : IAsyncDisposable
{
    private readonly IContainer _container;
    private readonly int _port;

    private AppContainer(IContainer container, int port)
    {
        _container = container;
        _port = port;
    }

    /// <summary>The Docker container id.</summary>
    public string Id => _container.Id;

    /// <summary>Where the host reaches the app: <c>http://127.0.0.1:PORT</c> (a new port after a stop and start).</summary>
    public Uri Address => new($"http://127.0.0.1:{_container.GetMappedPublicPort(_port)}");

    /// <summary>The Testcontainers handle (pause, unpause, exec).</summary>
    public IContainer Container => _container;

    /// <summary>Creates and starts the container; returns once the process runs (not necessarily serving yet).</summary>
    public static async Task<AppContainer> StartAsync(AppContainerOptions options, CancellationToken cancellationToken = default)
    {
        var builder = new ContainerBuilder(options.Image)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithCreateParameterModifier(parameters => PublishOnLoopbackOnly(parameters))
            .WithEnvironment(options.Environment.ToDictionary(e => e.Key, e => e.Value));
        if (options.Port > 0)
        {
            builder = builder.WithPortBinding(options.Port, assignRandomHostPort: true);
        }

        if (options.Entrypoint is { } entrypoint)
        {
            builder = builder.WithEntrypoint(entrypoint);
        }

        if (options.Command.Count > 0)
        {
            builder = builder.WithCommand([.. options.Command]);
        }
        if (options.Network is { } network)
        {
            builder = builder.WithNetwork(network).WithNetworkAliases([.. options.Aliases]);
        }

        if (options.Volume is { } volume)
        {
            builder = builder.WithVolumeMount(volume.Volume, volume.Path);
        }

        var container = builder.Build();
        try
        {
            await container.StartAsync(cancellationToken);
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }

        return new AppContainer(container, options.Port);
    }

    /// <summary>Everything the app wrote to stdout and stderr so far.</summary>
    public async Task<string> LogsAsync(CancellationToken cancellationToken = default)
    {
        var (stdout, stderr) = await _container.GetLogsAsync(timestampsEnabled: false, ct: cancellationToken);
        return stdout + stderr;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _container.DisposeAsync();

    // Testcontainers publishes on every interface; the suite's rule is loopback only.
    private static void PublishOnLoopbackOnly(CreateContainerParameters parameters)
    {
        foreach (var bindings in parameters.HostConfig?.PortBindings?.Values ?? [])
        {
            foreach (var binding in bindings)
            {
                binding.HostIP = "127.0.0.1";
            }
        }
    }
}
