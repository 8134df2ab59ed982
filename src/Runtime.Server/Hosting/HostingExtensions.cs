using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Runtime.Server.Binding;
using Runtime.Server.Errors;
using Runtime.Server.Services;

namespace Runtime.Server.Hosting;

/// <summary>DI wiring and endpoint mapping of the server, kept out of <c>Program</c>.</summary>
public static class HostingExtensions
{
    /// <summary>
    /// The runtime.v1 services this host serves (a service is listed only once every RPC of it works).
    /// Health answers for each of these names and for the empty name (the server overall).
    /// </summary>
    public static IReadOnlyList<string> ServedServiceNames { get; } =
    [
        "runtime.v1.RuntimeDriverService",
        "runtime.v1.RuntimeControlPlaneService",
        "runtime.v1.TransportService",
        "runtime.v1.ObservationService",
        "runtime.v1.AnalyticsService",
    ];

    /// <summary>Registers options, gRPC (with error mapping and limits), health checks and reflection.</summary>
    public static IHostApplicationBuilder AddRuntimeServer(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ServerOptions>()
            .Bind(builder.Configuration.GetSection(ServerOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var serverOptions = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = serverOptions.ShutdownTimeout);

        services.AddGrpc(o =>
        {
            o.Interceptors.Add<ErrorHandlingInterceptor>();
            o.MaxReceiveMessageSize = serverOptions.MaxMessageBytes;
            o.MaxSendMessageSize = serverOptions.MaxMessageBytes;
            o.EnableDetailedErrors = false;
        });
        services.AddGrpcReflection();
        services.AddGuardedServiceBinding();
        services.AddSingleton<ShutdownSignal>();
        services.AddSingleton<Services.Paging.PageBudget>();
        builder.AddRuntimeObservation();
        builder.AddRuntimeCore();
        // After the runtime core's registration: it replaces the delivery port and decorates the host.
        builder.AddRuntimeTransportServices();
        builder.AddRuntimeAnalytics();

        services.AddHealthChecks().AddCheck<LifetimeHealthCheck>("lifetime", HealthStatus.Unhealthy);
        services.AddGrpcHealthChecks(o =>
        {
            // Every served service reports the host's health; the empty name is the server overall.
            foreach (var name in ServedServiceNames)
            {
                o.Services.Map(name, _ => true);
            }
        });
        return builder;
    }

    /// <summary>Maps the gRPC services that work today, plus health (anonymous) and reflection.</summary>
    public static WebApplication MapRuntimeServer(this WebApplication app)
    {
        Directory.CreateDirectory(app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.DataDirectoryFullPath);
        app.MapGrpcService<RuntimeDriverGrpcService>();
        app.MapGrpcService<RuntimeControlPlaneGrpcService>();
        app.MapGrpcService<TransportGrpcService>();
        app.MapGrpcService<ObservationGrpcService>();
        app.MapGrpcService<AnalyticsGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
