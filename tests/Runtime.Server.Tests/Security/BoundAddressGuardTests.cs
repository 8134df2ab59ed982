using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Runtime.Server.Hosting;
using Runtime.Server.Security;
using Runtime.Server.Security.Startup;
using Runtime.Server.Tests.Infrastructure;

namespace Runtime.Server.Tests.Security;

/// <summary>
/// The guard judges what Kestrel actually bound, not how the address was spelled: real Kestrel, every way of giving
/// an address, ports chosen by the system; only loopback is ever connected to.
/// </summary>
public sealed class BoundAddressGuardTests : IDisposable
{
    private readonly string _data = TempDirectory.Create();

    /// <inheritdoc />
    public void Dispose() => TempDirectory.Delete(_data);

    [Theory]
    [InlineData("http://[::]:5000")]
    [InlineData("http://0.0.0.0:5000")]
    [InlineData("https://[::]:5443")]
    [InlineData("http://10.1.2.3:5000")]
    [InlineData("http://[::ffff:10.1.2.3]:5000")]
    [InlineData("http://unix:5000")]
    [InlineData("garbage")]
    public void A_bound_address_beyond_loopback_is_refused(string bound)
    {
        Assert.Throws<StartupRefusedException>(() => BindGuard.CheckBound(["http://127.0.0.1:5001", bound], new SecurityOptions()));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://[::1]:5000")]
    [InlineData("http://localhost:5000")]
    [InlineData("http://[::ffff:127.0.0.1]:5000")]
    [InlineData("http://unix:/tmp/runtime.sock")]
    public void Bound_loopback_addresses_and_local_sockets_need_nothing(string bound)
    {
        Assert.Empty(BindGuard.CheckBound([bound], new SecurityOptions()).Warnings);
    }

    [Theory]
    [InlineData("--urls", "http://unix:0")]
    [InlineData("--urls", "http://*:0")]
    [InlineData("--urls", "http://+:0")]
    [InlineData("--urls", "http://0.0.0.0:0")]
    [InlineData("--urls", "http://[::]:0")]
    [InlineData("--urls", "http://runtime-host.invalid:0")]
    [InlineData("--Kestrel:Endpoints:Public:Url", "http://0.0.0.0:0")]
    public async Task Every_spelling_of_a_non_loopback_address_is_refused_before_serving(string key, string value)
    {
        var error = await Assert.ThrowsAsync<StartupRefusedException>(() => StartAsync([key, value]));

        Assert.Contains("no authentication is configured", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_configured_in_code_is_judged_by_what_it_bound()
    {
        // Configuration says loopback; code adds a listener on every interface, which only the bound check sees.
        var error = await Assert.ThrowsAsync<StartupRefusedException>(() => StartAsync(
            ["--urls", "http://127.0.0.1:0"], builder => builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(0))));

        Assert.Contains("(bound)", error.Message, StringComparison.Ordinal);
        Assert.Contains("no authentication is configured", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authentication_without_tls_is_still_refused_on_what_was_bound()
    {
        var error = await Assert.ThrowsAsync<StartupRefusedException>(() => StartAsync(
            ["--urls", "http://127.0.0.1:0", "--Runtime:Security:RequireAuthentication=true"],
            builder => builder.WebHost.ConfigureKestrel(k => k.ListenAnyIP(0))));

        Assert.Contains("not TLS", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://[::1]:0")]
    public async Task Loopback_listeners_start_and_serve(string url)
    {
        await using var app = await StartAsync(["--urls", url]);

        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(app.Urls.Single());
        var health = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task A_unix_socket_starts()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"runtime-{Guid.NewGuid():N}.sock");
        try
        {
            await using var app = await StartAsync(["--urls", $"http://unix:{socket}"]);
            Assert.True(File.Exists(socket));
        }
        finally
        {
            File.Delete(socket);
        }
    }

    private async Task<WebApplication> StartAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var data = _data;
        var app = RuntimeServerApp.Build(args, builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Runtime:DataDirectory"] = data,
                ["Logging:LogLevel:Default"] = "Warning",
                ["Runtime:Console:Enabled"] = "false", // judged by its own tests; here only the addresses given
            });
            configure?.Invoke(builder);
        });
        try
        {
            await app.StartAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
