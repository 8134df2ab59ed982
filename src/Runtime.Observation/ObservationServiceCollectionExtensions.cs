using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Runtime.Core.Events;
using Runtime.Observation.BuiltIn;
using Runtime.Observation.BuiltIn.Runtimes;
using Runtime.Observation.BuiltIn.Transports;
using Runtime.Observation.Events;

namespace Runtime.Observation;

/// <summary>Registers the event stream, the built-in observers and the observation engine.</summary>
public static class ObservationServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="EventStream"/> (also as <see cref="IRuntimeEventPublisher"/>), the built-in observers and
    /// <see cref="ObservationEngine"/> (started and stopped with the host). The host registers
    /// <see cref="IRuntimeCatalog"/> and <see cref="ITransportCatalog"/>, binds <see cref="ObservationOptions"/> and
    /// <see cref="EventStreamOptions"/>, and may replace <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddRuntimeObservation(this IServiceCollection services)
    {
        services.AddOptions<ObservationOptions>();
        services.AddOptions<EventStreamOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ObservationOptions>, ObservationOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventStreamOptions>, EventStreamOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EventStream>();
        services.AddSingleton<IRuntimeEventPublisher>(sp => sp.GetRequiredService<EventStream>());
        services.AddSingleton(sp => new ObservationEngine(
            BuiltInObservers.Create(
                sp.GetRequiredService<IRuntimeCatalog>(),
                sp.GetRequiredService<ITransportCatalog>(),
                sp.GetRequiredService<EventStream>(),
                sp.GetRequiredService<IOptions<ObservationOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILoggerFactory>()),
            sp.GetRequiredService<IOptions<ObservationOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService(sp => sp.GetRequiredService<ObservationEngine>());
        return services;
    }
}
