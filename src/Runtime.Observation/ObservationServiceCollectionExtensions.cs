using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Runtime.Core.Delivery;
using Runtime.Core.Events;
using Runtime.Core.Hosting;
using Runtime.Observation.BuiltIn;
using Runtime.Observation.BuiltIn.Runtimes;
using Runtime.Observation.BuiltIn.Transports;
using Runtime.Observation.Events;
using Runtime.Observation.Observers;

namespace Runtime.Observation;

/// <summary>Registers the event stream, the built-in observers and the observation engine.</summary>
public static class ObservationServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="EventStream"/> over the host's <see cref="IEventLog"/> (the ledger's) as the
    /// <see cref="IEventCategories"/> (replacing any other), cycle
    /// numbering persisted in <see cref="ObservationOptions.DataDirectory"/>, the built-in observers and
    /// <see cref="ObservationEngine"/>, started once every hosted service has started (after recovery, so the first
    /// snapshots show recovered runtimes; the ledger observer still counts what recovery published, from the stream).
    /// Catalogs: an <see cref="IRuntimeCatalog"/> or <see cref="ITransportCatalog"/> registered by the host wins; otherwise
    /// <see cref="RuntimeHostCatalog"/> over <see cref="IRuntimeHost"/> and <see cref="DeliveryPortTransportCatalog"/>
    /// over <see cref="IDeliveryPort"/> when those are registered, else empty catalogs. The host binds
    /// <see cref="ObservationOptions"/> and <see cref="EventStreamOptions"/> and may replace <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddRuntimeObservation(this IServiceCollection services)
    {
        services.AddOptions<ObservationOptions>();
        services.AddOptions<EventStreamOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ObservationOptions>, ObservationOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventStreamOptions>, EventStreamOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EventStream>();
        services.RemoveAll<IEventCategories>();
        services.AddSingleton<IEventCategories>(sp => sp.GetRequiredService<EventStream>());
        services.TryAddSingleton(sp => CycleNumbering.Persisted(
            sp.GetRequiredService<IOptions<ObservationOptions>>().Value.DataDirectory,
            sp.GetService<ILoggerFactory>()?.CreateLogger<CycleNumbering>()));
        services.TryAddSingleton<IRuntimeCatalog>(sp => sp.GetService<IRuntimeHost>() is { } host
            ? new RuntimeHostCatalog(host, sp.GetRequiredService<IOptions<ObservationOptions>>().Value.MaxObservedRuntimes)
            : new EmptyRuntimeCatalog());
        services.TryAddSingleton<ITransportCatalog>(sp => sp.GetService<IDeliveryPort>() is { } port
            ? new DeliveryPortTransportCatalog(sp.GetRequiredService<IRuntimeCatalog>(), port)
            : new EmptyTransportCatalog());
        services.TryAddSingleton(sp => new ObservationEngine(
            BuiltInObservers.Create(
                sp.GetRequiredService<IRuntimeCatalog>(),
                sp.GetRequiredService<ITransportCatalog>(),
                sp.GetRequiredService<EventStream>(),
                sp.GetRequiredService<IOptions<ObservationOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILoggerFactory>(),
                sp.GetRequiredService<CycleNumbering>()),
            sp.GetRequiredService<IOptions<ObservationOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<ObservationHostedService>();
        return services;
    }
}
