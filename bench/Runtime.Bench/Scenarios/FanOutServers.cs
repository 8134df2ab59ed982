using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Runtime.Core.Delivery;
using Runtime.Core.Events;
using Runtime.Core.Hosting;
using Runtime.Core.Storage;
using Runtime.Server.Hosting;
using Runtime.Storage.Sqlite;

namespace Runtime.Bench.Scenarios;

/// <summary>The two servers the fan-out scenario compares, each on its own loopback port (h2c), in this process.</summary>
public static class FanOutServers
{
    private const string ControlPlane = "runtime.v1.RuntimeControlPlaneService";

    /// <summary>True when the server serves WatchRuntimeEvents itself (else the scenario maps its stand-in).</summary>
    public static bool ServesWatch => HostingExtensions.ServedServiceNames.Contains(ControlPlane);

    /// <summary>The real Runtime server over a fresh data directory, with a runtime host and WatchRuntimeEvents.</summary>
    public static async Task<WebApplication> StartRuntimeAsync(int port, string dataDirectory)
    {
        var app = RuntimeServerApp.Build(["--urls", $"http://127.0.0.1:{port}"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Runtime:DataDirectory"] = dataDirectory,
                ["Runtime:Storage:Synchronous"] = "Normal",
                ["Kestrel:EndpointDefaults:Protocols"] = "Http2",
                ["Runtime:Security:MaxStreamsPerCaller"] = "4096",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            });
            AddRuntimeHostUnlessRegistered(builder.Services, dataDirectory);
        });
        if (!ServesWatch)
        {
            app.MapGrpcService<FanOutEventWatchService>();
        }

        await app.StartAsync();
        return app;
    }

    /// <summary>The do-nothing baseline streaming the same message shapes.</summary>
    public static async Task<WebApplication> StartBareAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, o => o.Protocols = HttpProtocols.Http2));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<FanOutBareFeed>();
        var app = builder.Build();
        app.MapGrpcService<FanOutBareService>();
        await app.StartAsync();
        return app;
    }

    /// <summary>Until the server registers its runtime host itself: SQLite (synchronous NORMAL) and the in-process port.</summary>
    private static void AddRuntimeHostUnlessRegistered(IServiceCollection services, string dataDirectory)
    {
        if (services.Any(d => d.ServiceType == typeof(IRuntimeHost)))
        {
            return;
        }

        services.AddSingleton<IRuntimeStore>(_ => new SqliteRuntimeStore(Options.Create(new SqliteStoreOptions
        {
            DataDirectory = dataDirectory,
            Synchronous = SqliteSynchronous.Normal,
        })));
        services.AddSingleton<IDeliveryPort, InProcessDeliveryPort>();
        services.AddSingleton(sp => new RuntimeHost(
            sp.GetRequiredService<IRuntimeStore>(),
            sp.GetRequiredService<IDeliveryPort>(),
            sp.GetRequiredService<IRuntimeEventPublisher>(),
            TimeProvider.System));
        services.AddSingleton<IRuntimeHost>(sp => sp.GetRequiredService<RuntimeHost>());
        services.AddHostedService(sp => sp.GetRequiredService<RuntimeHost>());
    }
}
