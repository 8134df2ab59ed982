using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Runtime.Bench.Baseline;
using Runtime.Server.Hosting;

namespace Runtime.Bench.Harness;

/// <summary>Starts the servers a scenario compares, each on its own loopback port (h2c), in this process.</summary>
public static class Servers
{
    /// <summary>The real Runtime server over a fresh data directory.</summary>
    public static async Task<WebApplication> StartRuntimeAsync(int port, string dataDirectory, IDictionary<string, string?>? settings = null)
    {
        var app = RuntimeServerApp.Build(["--urls", $"http://127.0.0.1:{port}", "--Runtime:Console:Enabled=false"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Runtime:DataDirectory"] = dataDirectory,
                ["Logging:LogLevel:Default"] = "Warning",
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }
        });
        await app.StartAsync();
        return app;
    }

    /// <summary>The do-nothing baseline with the same message shapes.</summary>
    public static async Task<WebApplication> StartBareAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, o => o.Protocols = HttpProtocols.Http2));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<BareDriverService>();
        await app.StartAsync();
        return app;
    }
}
