using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Runtime.Server.Hosting;

namespace Runtime.Bench.Scenarios;

/// <summary>The two servers the fan-out scenario compares, each on its own loopback port (h2c), in this process.</summary>
public static class FanOutServers
{
    /// <summary>The real Runtime server over a fresh data directory (SQLite synchronous NORMAL).</summary>
    public static async Task<WebApplication> StartRuntimeAsync(int port, string dataDirectory)
    {
        var app = RuntimeServerApp.Build(["--urls", $"http://127.0.0.1:{port}", "--Runtime:Console:Enabled=false"], builder =>
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
        });
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
}
