namespace Runtime.SampleSink;

/// <summary>
/// Builds the sample sink: SinkService over gRPC (h2c), <c>/ws</c> (WebSocket), <c>POST /deliver</c> (HTTP),
/// <c>GET /stats</c>, <c>GET|POST /faults</c> and <c>DELETE /stats</c>. Every endpoint shares one port: Kestrel
/// speaks HTTP/1.1 and HTTP/2 on it, and recognises cleartext HTTP/2 clients by their prior-knowledge preface.
/// </summary>
public static class SampleSinkApp
{
    /// <summary>The address used when none is configured (<c>--urls</c>, <c>ASPNETCORE_URLS</c>).</summary>
    public const string DefaultUrl = "http://127.0.0.1:6000";

    /// <summary>Builds the app from command-line arguments (standard .NET configuration); start it with RunAsync/StartAsync.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ConfigureEndpointDefaults(CleartextHttp2.Enable);
            // HTTP/2 requests on a detected connection say `:scheme http`; Kestrel would expect https there.
            kestrel.AllowAlternateSchemes = true;
        });
        // Streams end as soon as the sink stops, so a short grace period is plenty.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 16 * 1024 * 1024);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => new SinkLedger(builder.Configuration.GetValue("Sink:MaxOrderPerRuntime", 10_000)));
        builder.Services.AddSingleton(_ => new FaultInjector(builder.Configuration.GetSection("Sink:Faults").Get<FaultSettings>() ?? new FaultSettings()));
        builder.Services.AddSingleton<DeliveryProcessor>();

        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
            "Cleartext HTTP/2 clients (gRPC) are recognised by their preface on every endpoint; " +
            "Kestrel's warning that HTTP/2 is disabled without TLS does not apply to this sink"));
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.MapGrpcService<SinkGrpcService>();
        app.Map("/ws", WebSocketEndpoint.HandleAsync);
        app.MapPost("/deliver", HttpDeliverEndpoint.HandleAsync);
        app.MapGet("/stats", (SinkLedger ledger) => ledger.Snapshot());
        app.MapDelete("/stats", (SinkLedger ledger) =>
        {
            ledger.Reset();
            return Results.NoContent();
        });
        app.MapGet("/faults", (FaultInjector faults) => faults.Settings);
        app.MapPost("/faults", (FaultSettings settings, FaultInjector faults, ILogger<FaultInjector> logger) =>
        {
            faults.Update(settings);
            logger.LogWarning("Faults set to {Faults}", settings);
            return faults.Settings;
        });
        return app;
    }
}
