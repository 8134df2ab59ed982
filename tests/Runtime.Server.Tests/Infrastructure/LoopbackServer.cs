using Grpc.AspNetCore.Server;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Runtime.Server.Hosting;

namespace Runtime.Server.Tests.Infrastructure;

/// <summary>
/// The real server app on real Kestrel, on a free loopback port, with a temporary data directory. Use as a class
/// fixture; <see cref="Channel"/> talks to it over a socket.
/// </summary>
public sealed class LoopbackServer : IAsyncLifetime
{
    private WebApplication? _app;

    /// <summary>The temporary data directory (deleted on dispose).</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "runtime-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Extra configuration applied before the app is built.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>The address Kestrel bound.</summary>
    public string Address { get; private set; } = "";

    /// <summary>A channel to the server over a loopback socket.</summary>
    public GrpcChannel Channel { get; private set; } = null!;

    /// <summary>The app's services.</summary>
    public IServiceProvider Services => _app!.Services;

    /// <summary>Every gRPC method the server maps (full names without the leading slash) and its type.</summary>
    public IReadOnlyList<(string FullName, Grpc.Core.MethodType Type, Type RequestType)> Methods =>
        Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method)
            .OfType<Grpc.Core.IMethod>()
            .Select(m => (m.FullName.TrimStart('/'), m.Type, m.GetType().GetGenericArguments()[0]))
            .DistinctBy(m => m.Item1)
            .OrderBy(m => m.Item1, StringComparer.Ordinal)
            .ToList();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Settings["Runtime:DataDirectory"] = DataDirectory;
        Settings.TryAdd("Logging:LogLevel:Default", "Warning");
        Settings.TryAdd("Runtime:Console:Enabled", "false"); // its fixed port would collide between test servers
        _app = RuntimeServerApp.Build(["--urls", "http://127.0.0.1:0"], builder => builder.Configuration.AddInMemoryCollection(Settings));
        await _app.StartAsync();
        Address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions { MaxReceiveMessageSize = null });
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
