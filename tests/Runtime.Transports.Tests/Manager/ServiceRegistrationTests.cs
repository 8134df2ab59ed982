using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Runtime.Transports.Destinations;
using Runtime.Storage.Sqlite;
using Runtime.Transports.Manager;

namespace Runtime.Transports.Tests.Manager;

public sealed class ServiceRegistrationTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "runtime-di-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_registered_manager_is_the_catalog_and_the_hosted_service()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSqliteRuntimeStore(o => o.DataDirectory = _directory)
            .AddRuntimeTransports(o => o.HealthCheckInterval = TimeSpan.FromSeconds(2));
        await using var provider = services.BuildServiceProvider();

        var manager = provider.GetRequiredService<TransportManager>();
        var hosted = Assert.Single(provider.GetServices<IHostedService>());
        await hosted.StartAsync(CancellationToken.None);
        var catalog = provider.GetRequiredService<IDestinationCatalog>();
        await catalog.CreateDestinationAsync("d", [new WireDefinition(WireKind.Grpc, "http://127.0.0.1:6000")], CancellationToken.None);

        Assert.Same(manager, catalog);
        Assert.Same(manager, hosted);
        Assert.True(manager.HasDestination("d"));
        await hosted.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Settings_out_of_range_are_refused()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSqliteRuntimeStore(o => o.DataDirectory = _directory)
            .AddRuntimeTransports(o => o.MaxInFlightPerWire = 0);
        await using var provider = services.BuildServiceProvider();

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<TransportManager>());
        Assert.Contains(nameof(TransportOptions.MaxInFlightPerWire), error.Message);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
