using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Runtime.Server.Hosting;

namespace Runtime.Server.Tests.Infrastructure;

/// <summary>
/// The real server app on an in-memory test server with a temporary data directory: fast, no sockets.
/// Use as a class fixture; <see cref="Channel"/> talks to it.
/// </summary>
public sealed class InProcessServer : IAsyncLifetime
{
    private WebApplication? _app;

    /// <summary>The temporary data directory (deleted on dispose).</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "runtime-tests", Guid.NewGuid().ToString("N"));

    /// <summary>A channel to the in-memory server.</summary>
    public GrpcChannel Channel { get; private set; } = null!;

    /// <summary>Extra configuration applied before the app is built.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>The app's services, for assertions on domain state.</summary>
    public IServiceProvider Services => _app!.Services;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Settings["Runtime:DataDirectory"] = DataDirectory;
        _app = RuntimeServerApp.Build([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(Settings);
        });
        await _app.StartAsync();
        var handler = _app.GetTestServer().CreateHandler();
        Channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler });
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        TempDirectory.Delete(DataDirectory);
    }
}
