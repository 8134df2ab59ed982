using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Runtime.Core.Delivery;
using Runtime.Core.Hosting;
using Runtime.Observation.BuiltIn.Transports;
using Runtime.Storage.Sqlite;
using Runtime.Transports;
using Runtime.Transports.Composition;
using Runtime.Transports.Destinations;
using Runtime.Transports.Wires.InProcess;

namespace Runtime.Server.Hosting;

/// <summary>
/// Wires the transport manager into the server: the one <see cref="IDeliveryPort"/> (a <see cref="DeliveryRouter"/>
/// over the manager and the core's built-in <c>inproc:</c> sinks), destinations stored in the ledger's SQLite file,
/// bound-runtime counts from the host, NOT_FOUND for runtimes naming an undefined destination, and the manager as the
/// <c>transports</c> observer's catalog (<see cref="TransportManagerCatalog"/>).
/// </summary>
public static class TransportRegistration
{
    /// <summary>The configuration section of <see cref="TransportOptions"/>.</summary>
    public const string Section = "Runtime:Transports";

    /// <summary>Registers the transports. Call it after the runtime core's registration, whose host it decorates.</summary>
    public static IHostApplicationBuilder AddRuntimeTransportServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TransportOptions>().Bind(builder.Configuration.GetSection(Section));
        services.TryAddSingleton<InProcessDeliveryPort>();
        services.TryAddSingleton<IInProcessSinks>(sp => new BuiltInSinks(sp.GetRequiredService<InProcessDeliveryPort>()));
        services.TryAddSingleton<IDestinationBindings>(sp => new RuntimeHostBindings(sp.GetService<IRuntimeHost>));
        services.AddRuntimeTransports();

        services.RemoveAll<IDeliveryPort>();
        services.TryAddSingleton<DeliveryRouter>();
        services.AddSingleton<IDeliveryPort>(sp => sp.GetRequiredService<DeliveryRouter>());
        services.RemoveAll<ITransportCatalog>();
        services.AddSingleton<ITransportCatalog>(sp => new TransportManagerCatalog(sp.GetRequiredService<IDestinationCatalog>()));
        DecorateRuntimeHost(services);
        return builder;
    }

    /// <summary>
    /// Puts <see cref="DestinationCheckingRuntimeHost"/> in front of the registered <see cref="RuntimeHost"/>, if one is
    /// registered (a host composed without the core has nothing to decorate).
    /// </summary>
    public static IServiceCollection DecorateRuntimeHost(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(RuntimeHost)))
        {
            services.RemoveAll<IRuntimeHost>();
            services.AddSingleton<IRuntimeHost>(sp => new DestinationCheckingRuntimeHost(
                sp.GetRequiredService<RuntimeHost>(), sp.GetRequiredService<IDeliveryPort>()));
        }

        return services;
    }
}
