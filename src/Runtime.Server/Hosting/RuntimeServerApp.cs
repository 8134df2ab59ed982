using Microsoft.Extensions.Options;
using Runtime.Server.Errors;
using Runtime.Server.Security;

namespace Runtime.Server.Hosting;

/// <summary>
/// Builds the whole server. <c>Program</c> runs it; tests build the very same app and may adjust the builder first
/// (for example to use an in-memory test server or a temporary data directory).
/// </summary>
public static class RuntimeServerApp
{
    /// <summary>Builds the application: services, gRPC endpoints, health and reflection.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The content root is the binary's folder, so appsettings.json (HTTP/2-only endpoints, logging) applies
        // whatever the working directory; relative data directories still resolve against the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddRuntimeServer();
        builder.AddRuntimeSecurity();
        configure?.Invoke(builder);
        // Last: it adds its address beside the ones settled above (defaults and the caller's adjustments).
        builder.AddRuntimeConsole();

        var app = builder.Build();
        // Before security: the console's assets are anonymous, and refusals must be framed as gRPC-Web.
        app.UseRuntimeConsole();
        app.UseMiddleware<FrameworkStatusDetails>();
        app.UseRuntimeSecurity();
        app.MapRuntimeServer();
        LogStartup(app);
        return app;
    }

    private static void LogStartup(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Runtime.Server");
        app.Lifetime.ApplicationStarted.Register(() => logger.LogInformation(
            "Runtime serving on {Urls} with data in {DataDirectory}",
            string.Join(", ", app.Urls), options.DataDirectoryFullPath));
        app.Lifetime.ApplicationStopping.Register(() => logger.LogInformation(
            "Runtime stopping: in-flight calls get {ShutdownTimeout} to finish", options.ShutdownTimeout));
    }
}
