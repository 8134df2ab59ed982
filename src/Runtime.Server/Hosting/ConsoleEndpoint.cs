using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.FileProviders;
using Runtime.Server.Security.Startup;

namespace Runtime.Server.Hosting;

/// <summary>
/// The web console's endpoint: its own HTTP/1.1 address (browsers cannot speak h2c) that serves the console's
/// static assets and gRPC-Web for the existing services. It adds no API. The address is added to the listen
/// configuration (so the bind guard judges it like any other) and authentication applies to every call on it;
/// only the static assets, which carry no data, are anonymous, so the page can load and then ask for a key.
/// Other HTTP/1.1 surfaces of the server (such as a metrics scrape) belong on this endpoint too: see
/// <see cref="ConsoleBinding"/>.
/// </summary>
public static class ConsoleEndpoint
{
    /// <summary>The folder, beside the server binary, that holds the built console (copied from <c>console/dist</c>).</summary>
    public const string AssetsFolder = "console";

    // The Kestrel endpoint name used when the addresses come from Kestrel:Endpoints rather than Urls.
    private const string EndpointName = "RuntimeConsole";

    /// <summary>
    /// Adds the console's address to what the server listens on (HTTP/1.1 only) and registers gRPC-Web. Call after
    /// the other addresses are settled (after the security defaults), so it is added beside them.
    /// </summary>
    public static IHostApplicationBuilder AddRuntimeConsole(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ConsoleOptions.Section).Get<ConsoleOptions>() ?? new ConsoleOptions();
        builder.Services.Configure<ConsoleOptions>(builder.Configuration.GetSection(ConsoleOptions.Section));
        if (!options.Enabled)
        {
            return builder;
        }

        var binding = new ConsoleBinding(options.Url, PortOf(options.Url));
        Listen(builder.Configuration, binding.Url);
        builder.Services.AddSingleton(binding);
        // The gRPC addresses keep HTTP/2 (appsettings' endpoint default); only the console's port speaks HTTP/1.1.
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
        {
            if (listen.IPEndPoint?.Port == binding.Port)
            {
                listen.Protocols = HttpProtocols.Http1;
            }
        }));
        return builder;
    }

    /// <summary>
    /// On the console's port only: the static assets (anonymous) and the gRPC-Web translation. Call before the
    /// security middleware, so that a call it refuses is answered in gRPC-Web framing the browser can read.
    /// </summary>
    public static WebApplication UseRuntimeConsole(this WebApplication app)
    {
        if (app.Services.GetService<ConsoleBinding>() is not { } binding)
        {
            return app;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Runtime.Server.Console");
        var folder = Path.Combine(AppContext.BaseDirectory, AssetsFolder);
        IFileProvider assets = Directory.Exists(folder) ? new PhysicalFileProvider(folder) : new NullFileProvider();
        if (assets is NullFileProvider)
        {
            logger.LogWarning("Console assets not found in {Folder}: the console endpoint serves gRPC-Web only", folder);
        }

        app.Lifetime.ApplicationStarted.Register(() => logger.LogInformation("Console on {Url}", binding.Url));
        app.UseWhen(binding.IsConsoleRequest, console =>
        {
            console.Use(SecurityHeaders);
            console.UseDefaultFiles(new DefaultFilesOptions { FileProvider = assets });
            console.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = assets,
                // Small, unversioned files: revalidate every time (ETag) so a new server never runs an old page.
                OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
            });
            console.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        });
        return app;
    }

    /// <summary>The console's port, from its address; it must be explicit so the endpoint can be told apart.</summary>
    public static int PortOf(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.IsDefaultPort
            || uri.Port <= 0 || uri.AbsolutePath != "/")
        {
            throw new StartupRefusedException(
                $"Runtime:Console:Url '{url}' is not an http(s)://host:port address with an explicit, non-zero port "
                + $"(for example {ConsoleOptions.DefaultUrl}); or turn the console off with Runtime:Console:Enabled=false.");
        }

        return uri.Port;
    }

    private static void Listen(IConfiguration configuration, string url)
    {
        // Kestrel listens either on Urls or on Kestrel:Endpoints, never on both: join whichever is in use.
        if (configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            configuration[$"Kestrel:Endpoints:{EndpointName}:Url"] = url;
            configuration[$"Kestrel:Endpoints:{EndpointName}:Protocols"] = nameof(HttpProtocols.Http1);
            return;
        }

        var urls = configuration["urls"];
        if (string.IsNullOrWhiteSpace(urls))
        {
            // Setting Urls hides HTTP_PORTS / HTTPS_PORTS from the host: carry them over.
            urls = string.Join(';',
                Ports(configuration["http_ports"]).Select(p => $"http://*:{p}")
                    .Concat(Ports(configuration["https_ports"]).Select(p => $"https://*:{p}")));
        }

        configuration["urls"] = string.IsNullOrWhiteSpace(urls) ? url : $"{urls};{url}";
    }

    private static string[] Ports(string? value) =>
        value?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    private static Task SecurityHeaders(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        // The page talks only to its own origin and is never framed.
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return next(context);
    }
}

/// <summary>Where the console endpoint is, for whatever else serves on it (registered only when it is on).</summary>
/// <param name="Url">Its configured address.</param>
/// <param name="Port">Its port: requests that arrive on it are console requests.</param>
public sealed record ConsoleBinding(string Url, int Port)
{
    /// <summary>Whether a request arrived on the console's endpoint.</summary>
    public bool IsConsoleRequest(HttpContext context) => context.Connection.LocalPort == Port;

    /// <summary>A host pattern for <c>RequireHost</c>, to map an endpoint on the console's port only.</summary>
    public string HostPattern => $"*:{Port}";
}
