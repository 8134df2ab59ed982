using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Runtime.Contracts.V1;
using Runtime.Server.Hosting;
using Runtime.Server.Security;
using Runtime.Server.Security.ApiKeys;
using Runtime.Server.Security.Startup;
using Runtime.Server.Tests.Infrastructure;
using Runtime.Server.Tests.Security;

namespace Runtime.Server.Tests.Hosting;

/// <summary>The console's HTTP/1.1 endpoint on real sockets: the page, gRPC-Web, its settings, auth and the bind guard.</summary>
public sealed class ConsoleEndpointTests
{
    [Fact]
    public void By_default_the_console_listens_on_loopback_5080_beside_the_grpc_address()
    {
        var data = TempDirectory.Create();
        try
        {
            var app = RuntimeServerApp.Build([$"--Runtime:DataDirectory={data}"], b => b.WebHost.UseTestServer());

            Assert.Equal("http://127.0.0.1:5000;http://127.0.0.1:5080", app.Configuration["urls"]);
            Assert.Equal(5080, app.Services.GetRequiredService<ConsoleBinding>().Port);
            Assert.Contains(BindGuard.Addresses(app.Configuration), a => a.Url == ConsoleOptions.DefaultUrl && a.IsLoopback);
        }
        finally
        {
            TempDirectory.Delete(data);
        }
    }

    [Fact]
    public void Set_beside_http_ports_it_keeps_them_and_the_guard_still_sees_them()
    {
        var data = TempDirectory.Create();
        try
        {
            var app = RuntimeServerApp.Build(
                ["--http_ports=5999", "--Runtime:Security:RequireAuthentication=true", "--Runtime:Security:AllowPlaintextNonLoopback=true",
                    $"--Runtime:DataDirectory={data}"],
                b => b.WebHost.UseTestServer());

            Assert.Equal("http://*:5999;http://127.0.0.1:5080", app.Configuration["urls"]);
            Assert.Contains(BindGuard.Addresses(app.Configuration), a => a.Url == "http://*:5999" && !a.IsLoopback);
        }
        finally
        {
            TempDirectory.Delete(data);
        }
    }

    [Fact]
    public async Task The_console_serves_its_page_over_http1_and_grpc_web_on_its_own_port_while_grpc_stays_h2c()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var http = new HttpClient();

        using var page = await http.GetAsync(server.ConsoleAddress);
        using var grpcWeb = server.GrpcWebChannel();
        await new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(grpcWeb)
            .CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "console-1", Destination = "inproc:accept" });
        using var grpc = GrpcChannel.ForAddress(server.GrpcAddress);
        var listed = await new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(grpc).ListRuntimesAsync(new ListRuntimesRequest());

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(new Version(1, 1), page.Version);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(listed.Runtimes, r => r.RuntimeId == "console-1");
    }

    [Fact]
    public async Task A_server_stream_and_a_rich_error_come_through_grpc_web()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var channel = server.GrpcWebChannel();
        var observation = new ObservationService.ObservationServiceClient(channel);

        using var call = observation.Subscribe(new SubscribeRequest { Observers = { "runtimes" }, IncludeSnapshot = true, MaxMessages = 1 });
        var first = await call.ResponseStream.MoveNext() ? call.ResponseStream.Current : null;
        var missing = await Assert.ThrowsAsync<RpcException>(() => new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(channel)
            .GetRuntimeAsync(new GetRuntimeRequest { RuntimeId = "no-such-runtime" }).ResponseAsync);

        Assert.Equal("runtimes", first?.Snapshot.Observer);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal("RUNTIME_NOT_FOUND", RawCalls.Info(missing).Reason);
    }

    [Fact]
    public async Task Turned_off_it_listens_nowhere_and_moved_it_listens_only_where_told()
    {
        var consolePort = ConsoleServer.FreePort();
        await using var off = await ConsoleServer.StartAsync(consolePort, "--Runtime:Console:Enabled=false");
        using var http = new HttpClient();

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"http://127.0.0.1:{consolePort}/"));
        Assert.Equal(off.GrpcAddress, Assert.Single(off.App.Urls));
        Assert.Null(off.App.Services.GetService<ConsoleBinding>());
        Assert.IsType<SocketException>(refused.InnerException);
        await off.DisposeAsync();

        await using var moved = await ConsoleServer.StartAsync();
        Assert.Equal([moved.GrpcAddress, moved.ConsoleAddress], moved.App.Urls);
        using var page = await http.GetAsync(moved.ConsoleAddress);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task It_joins_kestrel_endpoints_when_those_configure_the_grpc_address()
    {
        var grpcPort = ConsoleServer.FreePort();
        await using var server = await ConsoleServer.StartAsync(
            null, "--urls=", $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{grpcPort}");
        using var http = new HttpClient();

        using var page = await http.GetAsync(server.ConsoleAddress);
        using var grpc = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var listed = await new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(grpc).ListRuntimesAsync(new ListRuntimesRequest());

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.NotNull(listed);
    }

    [Fact]
    public async Task With_authentication_the_page_loads_but_every_call_needs_a_key_with_the_right_scope()
    {
        await using var server = await ConsoleServer.StartAsync(null, "--Runtime:Security:RequireAuthentication=true");
        var keys = server.App.Services.GetRequiredService<ApiKeyStore>();
        var admin = keys.Create("console-admin", [Access.Admin], null).Secret;
        var observer = keys.Create("console-observer", [Access.Observe], null).Secret;
        using var http = new HttpClient();
        using var channel = server.GrpcWebChannel();
        var controlPlane = new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(channel);

        using var page = await http.GetAsync(server.ConsoleAddress);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => controlPlane.ListRuntimesAsync(new ListRuntimesRequest()).ResponseAsync);
        var wrongScope = await Assert.ThrowsAsync<RpcException>(() => controlPlane
            .CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "x" }, SecuredServer.With($"Bearer {observer}")).ResponseAsync);
        var listed = await controlPlane.ListRuntimesAsync(new ListRuntimesRequest(), SecuredServer.With($"Bearer {admin}"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Equal("MISSING_CREDENTIALS", RawCalls.Info(anonymous).Reason);
        Assert.Equal(StatusCode.PermissionDenied, wrongScope.StatusCode);
        Assert.Equal("INSUFFICIENT_SCOPE", RawCalls.Info(wrongScope).Reason);
        Assert.NotNull(listed);
    }

    [Theory]
    [InlineData("http://0.0.0.0:{0}", false, "no authentication is configured")]
    [InlineData("http://0.0.0.0:{0}", true, "not TLS")]
    [InlineData("http://127.0.0.1", false, "explicit, non-zero port")]
    [InlineData("http://127.0.0.1:0", false, "explicit, non-zero port")]
    public void The_bind_guard_judges_the_console_address_like_any_other(string url, bool authentication, string expected)
    {
        var data = TempDirectory.Create();
        try
        {
            var consoleUrl = string.Format(System.Globalization.CultureInfo.InvariantCulture, url, ConsoleServer.FreePort());
            var error = Assert.Throws<StartupRefusedException>(() => RuntimeServerApp.Build([
                "--urls", "http://127.0.0.1:0",
                $"--Runtime:Console:Url={consoleUrl}",
                $"--Runtime:Security:RequireAuthentication={authentication}",
                $"--Runtime:DataDirectory={data}",
            ]));

            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
            Assert.Contains(consoleUrl, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            TempDirectory.Delete(data);
        }
    }

    /// <summary>The real app on real loopback sockets: gRPC on a free port, the console on another.</summary>
    private sealed class ConsoleServer : IAsyncDisposable
    {
        private readonly string _data;
        private bool _disposed;

        private ConsoleServer(WebApplication app, string data, int consolePort)
        {
            App = app;
            _data = data;
            GrpcAddress = app.Urls.First();
            ConsoleAddress = $"http://127.0.0.1:{consolePort}";
        }

        public WebApplication App { get; }

        public string GrpcAddress { get; }

        public string ConsoleAddress { get; }

        public static async Task<ConsoleServer> StartAsync(int? consolePort = null, params string[] extra)
        {
            var data = TempDirectory.Create();
            var port = consolePort ?? FreePort();
            var app = RuntimeServerApp.Build([
                "--urls", $"http://127.0.0.1:{FreePort()}",
                $"--Runtime:Console:Url=http://127.0.0.1:{port}",
                $"--Runtime:DataDirectory={data}",
                "--Logging:LogLevel:Default=Warning",
                .. extra,
            ]);
            await app.StartAsync();
            return new ConsoleServer(app, data, port);
        }

        /// <summary>A gRPC-Web channel over HTTP/1.1, as a browser would call.</summary>
        public GrpcChannel GrpcWebChannel() => GrpcChannel.ForAddress(ConsoleAddress, new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new HttpClientHandler()),
            HttpVersion = HttpVersion.Version11,
        });

        public static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await App.StopAsync();
            await App.DisposeAsync();
            TempDirectory.Delete(_data);
        }
    }
}
