using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Runtime.Core.Events;
using Runtime.Core.Storage;
using Runtime.Transports.Destinations;
using Runtime.Transports.Manager;
using Runtime.Transports.Storage;
using Runtime.Transports.Wires;
using Runtime.Transports.Wires.InProcess;

namespace Runtime.Transports;

/// <summary>Registers the transport manager and what it needs.</summary>
public static class TransportServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TransportManager"/> (as itself, <see cref="IDestinationCatalog"/> and a hosted service that
    /// loads definitions and runs the health checker), keeping definitions in the host's <see cref="IDocumentStore"/>
    /// (the ledger's store: register it too). Register <see cref="IDestinationBindings"/>, <see cref="IInProcessSinks"/>,
    /// <see cref="IEventCategories"/>, <see cref="IEventLog"/> and <see cref="TimeProvider"/> to replace the defaults (no
    /// bindings, no in-process sinks, no events, the system clock). <see cref="Core.Delivery.IDeliveryPort"/> is left to
    /// the host, which may compose it with the core's in-process port.
    /// </summary>
    public static IServiceCollection AddRuntimeTransports(this IServiceCollection services, Action<TransportOptions>? configure = null)
    {
        var options = services.AddOptions<TransportOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o =>
        {
            o.Validate();
            return true;
        });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDestinationBindings>(DestinationBindings.None);
        services.TryAddSingleton<IInProcessSinks>(InProcessSinkRegistry.Empty);
        services.TryAddSingleton<IEventCategories>(EventCategories.None);
        services.TryAddSingleton<IDestinationStore>(sp => new DocumentDestinationStore(sp.GetRequiredService<IDocumentStore>()));
        services.TryAddSingleton<IWireDialer>(sp => new WireDialer(
            sp.GetRequiredService<IOptions<TransportOptions>>().Value,
            sp.GetRequiredService<IInProcessSinks>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new TransportManager(
            sp.GetRequiredService<IDestinationStore>(),
            sp.GetRequiredService<IWireDialer>(),
            sp.GetRequiredService<IDestinationBindings>(),
            sp.GetRequiredService<IEventCategories>(),
            sp.GetService<IEventLog>(),
            sp.GetRequiredService<IOptions<TransportOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TransportManager>>(),
            sp.GetRequiredService<IInProcessSinks>()));
        services.TryAddSingleton<IDestinationCatalog>(sp => sp.GetRequiredService<TransportManager>());
        services.AddHostedService(sp => sp.GetRequiredService<TransportManager>());
        return services;
    }
}
