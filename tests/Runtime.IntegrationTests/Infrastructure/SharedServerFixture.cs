using Grpc.Net.Client;

namespace Runtime.IntegrationTests.Infrastructure;

/// <summary>
/// One server for a whole collection: a container on its own volume, or, when <c>RUNTIME_TEST_SERVER</c> is set,
/// that already running server (tests using this fixture then neither start nor stop anything).
/// </summary>
public sealed class SharedServerFixture : IAsyncLifetime
{
    private Deployment? _deployment;
    private GrpcChannel? _external;
    private Uri? _externalAddress;

    /// <summary>The server's address as the host reaches it (<c>http://127.0.0.1:PORT</c>).</summary>
    public Uri Address => _externalAddress ?? _deployment?.Server.Container.Address
        ?? throw new InvalidOperationException("the fixture has not started");

    /// <summary>A channel to the server.</summary>
    public GrpcChannel Channel => _external ?? _deployment?.Server.Channel
        ?? throw new InvalidOperationException("the fixture has not started");

    /// <summary>The container deployment, or null when the suite points at an external server.</summary>
    public Deployment? Deployment => _deployment;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (TestEnvironment.ExternalServer is { } address)
        {
            _externalAddress = address;
            _external = GrpcChannel.ForAddress(address);
            await ServerProbe.WaitServingAsync(_external, TimeSpan.FromSeconds(10));
            return;
        }

        _deployment = await Deployment.StartAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        _external?.Dispose();
        if (_deployment is not null)
        {
            await _deployment.DisposeAsync();
        }
    }
}

/// <summary>Tests that share one server (a container, or the external one).</summary>
[CollectionDefinition(Name)]
public sealed class SharedServerCollection : ICollectionFixture<SharedServerFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "shared server";
}
