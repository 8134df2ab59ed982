using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Runtime.Client.Tests.Infrastructure;

/// <summary>
/// A tiny gRPC server on real Kestrel (loopback, free port, h2c) serving scripted Runtime services: the honest way
/// to make a stream break, resume, or return rich errors on demand.
/// </summary>
public sealed class FakeRuntimeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeRuntimeServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The server's address.</summary>
    public Uri Address { get; }

    /// <summary>The scripted control plane (WatchRuntimeEvents, CreateRuntime).</summary>
    public ScriptedControlPlane ControlPlane => _app.Services.GetRequiredService<ScriptedControlPlane>();

    /// <summary>The scripted observation service (Subscribe).</summary>
    public ScriptedObservation Observation => _app.Services.GetRequiredService<ScriptedObservation>();

    /// <summary>The scripted data plane (GetInputState).</summary>
    public ScriptedDriver Driver => _app.Services.GetRequiredService<ScriptedDriver>();

    /// <summary>Starts the server on a free loopback port.</summary>
    public static async Task<FakeRuntimeServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<ScriptedControlPlane>();
        builder.Services.AddSingleton<ScriptedObservation>();
        builder.Services.AddSingleton<ScriptedDriver>();
        var app = builder.Build();
        app.MapGrpcService<ScriptedControlPlane>();
        app.MapGrpcService<ScriptedObservation>();
        app.MapGrpcService<ScriptedDriver>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new FakeRuntimeServer(app, new Uri(address));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>Helpers the scripts use.</summary>
public static class Scripts
{
    /// <summary>Breaks the stream as a dying server or network would: the HTTP/2 stream is reset mid-call.</summary>
    public static void BreakConnection(ServerCallContext context) => context.GetHttpContext().Abort();

    /// <summary>A rich error as Runtime sends it: a google.rpc.Status with ErrorInfo and optional BadRequest.</summary>
    public static RpcException RichError(StatusCode code, string reason, string message, params (string Field, string Description)[] violations)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)code,
            Message = message,
            Details =
            {
                Google.Protobuf.WellKnownTypes.Any.Pack(new Google.Rpc.ErrorInfo
                {
                    Reason = reason,
                    Domain = "runtime",
                    Metadata = { ["runtime_id"] = "orders" },
                }),
            },
        };
        if (violations.Length > 0)
        {
            var badRequest = new Google.Rpc.BadRequest();
            foreach (var (field, description) in violations)
            {
                badRequest.FieldViolations.Add(new Google.Rpc.BadRequest.Types.FieldViolation { Field = field, Description = description });
            }

            status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(badRequest));
        }

        return status.ToRpcException();
    }
}
