using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Runtime.Server.Hosting;
using Runtime.Server.Security.ApiKeys;
using Runtime.Server.Security.Authentication;
using Runtime.Server.Security.Authorization;
using Runtime.Server.Security.Limits;
using Runtime.Server.Security.Startup;

namespace Runtime.Server.Security;

/// <summary>Wires authentication, per-method scopes, the bind guard and per-caller limits into the host.</summary>
public static class SecurityExtensions
{
    /// <summary>
    /// Registers credentials (API keys, JWT), the scope policy, the limiters and AccessService, and makes loopback
    /// (<see cref="BindGuard.DefaultUrl"/>) the address when none is configured.
    /// </summary>
    public static IHostApplicationBuilder AddRuntimeSecurity(this IHostApplicationBuilder builder)
    {
        BindGuard.ApplyDefault(builder.Configuration);
        var services = builder.Services;
        services.AddOptions<SecurityOptions>()
            .Bind(builder.Configuration.GetSection(SecurityOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ApiKeyStore(
            sp.GetRequiredService<IOptions<ServerOptions>>().Value.DataDirectoryFullPath, sp.GetRequiredService<TimeProvider>()));

        RuntimeAuthentication.Add(services);
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<SecurityOptions>>((o, security) =>
        {
            // The fallback applies to every endpoint that declares nothing itself: all gRPC services, present and future.
            if (security.Value.AuthenticationEnabled)
            {
                o.FallbackPolicy = MethodAccessRequirement.Policy;
            }
        });
        services.AddSingleton<IAuthorizationHandler, MethodAccessHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();

        services.AddSingleton<CallerLimiters>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<CallerLimiters>((o, limiters) =>
        {
            o.GlobalLimiter = limiters.ForRequests;
            o.OnRejected = (rejected, _) => RejectAsync(rejected, limiters);
        });
        services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<LimitsInterceptor>());
        services.AddTransient<IStartupFilter, MethodAccessCoverage>();
        GuardedServer.Decorate(services);
        return builder;
    }

    /// <summary>
    /// Checks the listen addresses (throws <see cref="StartupRefusedException"/> when unsafe), adds the
    /// authentication, authorization and rate limiting middleware, and maps AccessService. Call right after
    /// <c>Build()</c>, before other middleware and endpoints.
    /// </summary>
    public static WebApplication UseRuntimeSecurity(this WebApplication app)
    {
        // The configured addresses, for an early clear refusal; GuardedServer judges what is actually bound and
        // logs the opt-outs in effect.
        var options = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        BindGuard.Check(app.Configuration, options);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Runtime.Server.Security");

        logger.LogInformation("Authentication {State}; API keys in {KeyStore}; JWT {Jwt}",
            options.AuthenticationEnabled ? "required" : "off (every call allowed)",
            Path.Combine(app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.DataDirectoryFullPath, ApiKeyStore.FileName),
            options.Jwt.IsConfigured ? "accepted" : "not configured");

        app.UseMiddleware<MessageSizeStatus>();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapGrpcService<AccessGrpcService>();
        return app;
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CallerLimiters limiters)
    {
        var context = rejected.HttpContext;
        var caller = CallerIdentity.LimitKey(context);
        if (CallerLimiters.IsStream(context))
        {
            await GrpcStatusResponse.WriteAsync(context, Grpc.Core.StatusCode.ResourceExhausted, LimitReasons.StreamLimitReached,
                $"{caller} already has {limiters.MaxStreams} streams open; close one first",
                new Dictionary<string, string> { ["max_streams"] = limiters.MaxStreams.ToString(System.Globalization.CultureInfo.InvariantCulture), ["caller"] = caller });
            return;
        }

        var metadata = new Dictionary<string, string> { ["caller"] = caller };
        if (rejected.Lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var retryAfter))
        {
            metadata["retry_after_ms"] = ((long)retryAfter.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await GrpcStatusResponse.WriteAsync(context, Grpc.Core.StatusCode.ResourceExhausted, LimitReasons.RateLimited,
            $"{caller} submits inputs faster than its ingest rate; retry later", metadata);
    }
}
