using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Runtime.Server.Security.Startup;

/// <summary>
/// The server (Kestrel) with the bind guard applied to what it actually bound: once it listens, its addresses are
/// judged by <see cref="BindGuard.CheckBound"/>; a refusal stops it and fails the start. No request reaches the app
/// before the verdict: requests that arrive in between wait for it, and are dropped if it refuses.
/// </summary>
public sealed class GuardedServer(IServer inner, IOptions<SecurityOptions> options, ILogger<GuardedServer> logger) : IServer
{
    /// <inheritdoc />
    public IFeatureCollection Features => inner.Features;

    /// <inheritdoc />
    public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        var gate = new GatedApplication<TContext>(application);
        await inner.StartAsync(gate, cancellationToken);
        BindGuard.Verdict verdict;
        try
        {
            verdict = BindGuard.CheckBound(Features.Get<IServerAddressesFeature>()?.Addresses ?? [], options.Value);
        }
        catch (StartupRefusedException refused)
        {
            gate.Refuse(refused);
            await inner.StopAsync(CancellationToken.None);
            throw;
        }

        foreach (var warning in verdict.Warnings)
        {
            logger.LogWarning("Security opt-out in effect: {Warning}", warning);
        }

        gate.Open();
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose() => inner.Dispose();

    /// <summary>Replaces the registered <see cref="IServer"/> with itself around it. Call after the server is registered.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IServer));
        if (registered is null)
        {
            return;
        }

        services.Remove(registered);
        services.AddSingleton<IServer>(sp => new GuardedServer(
            registered.ImplementationInstance as IServer
                ?? registered.ImplementationFactory?.Invoke(sp) as IServer
                ?? (IServer)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!),
            sp.GetRequiredService<IOptions<SecurityOptions>>(),
            sp.GetRequiredService<ILogger<GuardedServer>>()));
    }

    private sealed class GatedApplication<TContext>(IHttpApplication<TContext> application) : IHttpApplication<TContext>
        where TContext : notnull
    {
        private readonly TaskCompletionSource _verdict = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _verdict.TrySetResult();

        public void Refuse(Exception refusal) => _verdict.TrySetException(refusal);

        public TContext CreateContext(IFeatureCollection contextFeatures) => application.CreateContext(contextFeatures);

        public async Task ProcessRequestAsync(TContext context)
        {
            if (!_verdict.Task.IsCompletedSuccessfully)
            {
                await _verdict.Task;
            }

            await application.ProcessRequestAsync(context);
        }

        public void DisposeContext(TContext context, Exception? exception) => application.DisposeContext(context, exception);
    }
}
