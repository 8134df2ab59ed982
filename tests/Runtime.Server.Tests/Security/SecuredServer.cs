using System.Security.Claims;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Runtime.Contracts.V1;
using Runtime.Server.Hosting;
using Runtime.Server.Security.ApiKeys;
using Runtime.Server.Tests.Infrastructure;

namespace Runtime.Server.Tests.Security;

/// <summary>
/// The real server app on an in-memory test server with security settings passed as command-line arguments (so
/// every part of the host sees them). Runtime.v1 services that the host does not map yet are mapped as empty
/// stubs, so checks over "every mapped method" cover them today and the real services once they land.
/// </summary>
public sealed class SecuredServer : IAsyncDisposable
{
    /// <summary>A JWT signing key the servers in these tests accept.</summary>
    public const string JwtKey = "test-signing-key-with-at-least-32-bytes!";

    private readonly WebApplication _app;

    private SecuredServer(WebApplication app, string dataDirectory)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = app.GetTestServer().CreateHandler(),
            MaxSendMessageSize = null,
            MaxReceiveMessageSize = null,
        });
    }

    /// <summary>The temporary data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>A channel to the server.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>The server's API key store.</summary>
    public ApiKeyStore Keys => _app.Services.GetRequiredService<ApiKeyStore>();

    /// <summary>Every gRPC method the server maps.</summary>
    public IReadOnlyList<GrpcMethodMetadata> MappedMethods => MappedGrpcMethods(_app);

    /// <summary>Starts a server with these settings (configuration keys to values).</summary>
    /// <param name="settings">Extra configuration.</param>
    /// <param name="probeHandlers">Answer every call that passes the security middleware with <see cref="HandlerReachedProbe"/>.</param>
    /// <param name="time">A fake clock for key expiry.</param>
    public static async Task<SecuredServer> StartAsync(
        IDictionary<string, string>? settings = null, bool probeHandlers = false, FakeTimeProvider? time = null)
    {
        var data = TempDirectory.Create();
        var args = (settings ?? new Dictionary<string, string>())
            .Append(new("Runtime:DataDirectory", data))
            .Select(kv => $"--{kv.Key}={kv.Value}")
            .ToArray();
        var app = RuntimeServerApp.Build(args, builder =>
        {
            builder.WebHost.UseTestServer();
            if (time is not null)
            {
                builder.Services.AddSingleton<TimeProvider>(time);
            }

            if (probeHandlers)
            {
                builder.Services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<HandlerReachedProbe>());
            }
        });
        MapStubsForUnmappedServices(app);
        await app.StartAsync();
        return new SecuredServer(app, data);
    }

    /// <summary>Call options carrying an <c>authorization</c> header (none when null).</summary>
    public static CallOptions With(string? authorization, CancellationToken cancellationToken = default)
    {
        var headers = new Metadata();
        if (authorization is not null)
        {
            headers.Add("authorization", authorization);
        }

        return new CallOptions(headers, DateTime.UtcNow.AddSeconds(20), cancellationToken);
    }

    /// <summary>A JWT signed with <paramref name="key"/> carrying <paramref name="claims"/>.</summary>
    public static string Jwt(IDictionary<string, object> claims, string key = JwtKey, TimeSpan? expiresIn = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromHours(1));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            Subject = new ClaimsIdentity([new Claim("sub", "user-1")]),
            IssuedAt = expires < now ? expires.AddHours(-1) : now,
            NotBefore = expires < now ? expires.AddHours(-1) : now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        TempDirectory.Delete(DataDirectory);
    }

    private static List<GrpcMethodMetadata> MappedGrpcMethods(WebApplication app) =>
        ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(d => d.Endpoints)
            .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>())
            .OfType<GrpcMethodMetadata>()
            .ToList();

    private static void MapStubsForUnmappedServices(WebApplication app)
    {
        var mapped = MappedGrpcMethods(app).Select(m => m.Method.ServiceName).ToHashSet(StringComparer.Ordinal);
        if (!mapped.Contains(RuntimeDriverService.Descriptor.FullName))
        {
            app.MapGrpcService<DriverStub>();
        }

        if (!mapped.Contains(RuntimeControlPlaneService.Descriptor.FullName))
        {
            app.MapGrpcService<ControlPlaneStub>();
        }

        if (!mapped.Contains(TransportService.Descriptor.FullName))
        {
            app.MapGrpcService<TransportStub>();
        }

        if (!mapped.Contains(ObservationService.Descriptor.FullName))
        {
            app.MapGrpcService<ObservationStub>();
        }
    }

    private sealed class DriverStub : RuntimeDriverService.RuntimeDriverServiceBase
    {
        public override Task<AcceptInputResponse> AcceptInput(AcceptInputRequest request, ServerCallContext context) =>
            Task.FromResult(new AcceptInputResponse { Outcome = AcceptOutcome.Accepted });
    }

    private sealed class ControlPlaneStub : RuntimeControlPlaneService.RuntimeControlPlaneServiceBase;

    private sealed class TransportStub : TransportService.TransportServiceBase;

    private sealed class ObservationStub : ObservationService.ObservationServiceBase;
}

/// <summary>
/// Answers every call that gets past authentication, authorization and limits with a marker status, so a test
/// knows exactly which calls were let through without depending on what the handlers do.
/// </summary>
public sealed class HandlerReachedProbe : Interceptor
{
    /// <summary>The marker status detail.</summary>
    public const string Marker = "handler reached";

    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) => throw Reached();

    /// <inheritdoc />
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation) => throw Reached();

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation) => throw Reached();

    /// <inheritdoc />
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) => throw Reached();

    private static RpcException Reached() => new(new Status(StatusCode.Aborted, Marker));
}
