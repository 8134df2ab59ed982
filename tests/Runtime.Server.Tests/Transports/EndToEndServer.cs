using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Runtime.Core.Events;
using Runtime.Core.Hosting;
using Runtime.Server.Hosting;
using Runtime.Server.Tests.Infrastructure;
using Runtime.Storage.Sqlite;
using Runtime.Transports.Manager;

namespace Runtime.Server.Tests.Transports;

/// <summary>
/// The real server app (in-memory test server for its own gRPC, real loopback sockets to sinks) with a temporary
/// data directory, fast health checks and an <see cref="EventProbe"/> listening to its event log.
/// </summary>
internal sealed class EndToEndServer : IAsyncDisposable
{
    /// <summary>The bound on every wait in these tests.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>How often the health checker re-dials failed wires here.</summary>
    public static readonly TimeSpan HealthInterval = TimeSpan.FromMilliseconds(250);

    private readonly WebApplication _app;

    private EndToEndServer(WebApplication app, string dataDirectory, EventProbe events)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Events = events;
        Channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = app.GetTestServer().CreateHandler() });
    }

    /// <summary>The temporary data directory (deleted on dispose).</summary>
    public string DataDirectory { get; }

    /// <summary>What the server published.</summary>
    public EventProbe Events { get; }

    /// <summary>A channel to the server's own gRPC services.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>The runtime host as the server's services see it.</summary>
    public IRuntimeHost Host => _app.Services.GetRequiredService<IRuntimeHost>();

    /// <summary>The server's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The transport manager.</summary>
    public TransportManager Transports => _app.Services.GetRequiredService<TransportManager>();

    /// <summary>Builds and starts the server.</summary>
    public static async Task<EndToEndServer> StartAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "runtime-tests", Guid.NewGuid().ToString("N"));
        var events = new EventProbe();
        var app = RuntimeServerApp.Build([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Runtime:DataDirectory"] = dataDirectory,
                ["Runtime:Transports:HealthCheckInterval"] = HealthInterval.ToString(),
                ["Runtime:Transports:InitialReconnectBackoff"] = "00:00:00.050",
                ["Runtime:Transports:MaxReconnectBackoff"] = "00:00:00.100",
                ["Runtime:Transports:ConnectTimeout"] = "00:00:02",
                ["Runtime:Transports:DeliveryTimeout"] = "00:00:05",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            var services = builder.Services;
            if (!services.Any(d => d.ServiceType == typeof(RuntimeHost)))
            {
                // The core's own registration is not wired into the server on this branch yet: compose it as it will.
                services.AddSqliteRuntimeStore(o => o.DataDirectory = dataDirectory);
                services.AddRuntimeHost(o => o.IdleDeactivationDelay = TimeSpan.FromMinutes(5));
                TransportRegistration.DecorateRuntimeHost(services);
            }

            services.RemoveAll<IEventCategories>();
            services.AddSingleton<IEventCategories>(events);
        });
        app.Services.GetRequiredService<IEventLog>().Listen(events);
        await app.StartAsync().WaitAsync(Timeout);
        return new EndToEndServer(app, dataDirectory, events);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync().WaitAsync(Timeout);
        await _app.DisposeAsync();
        TempDirectory.Delete(DataDirectory);
    }
}
