using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Runtime.Core.Delivery;
using Runtime.Core.Events;

namespace Runtime.Core.Hosting;

/// <summary>Registers the runtime host for a generic or web host.</summary>
public static class RuntimeHostServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="RuntimeHost"/> as <see cref="IRuntimeHost"/> and as a hosted service (it recovers every runtime
    /// on start). Unless registered before: <see cref="TimeProvider.System"/>, the <see cref="InProcessDeliveryPort"/> as
    /// the <see cref="IDeliveryPort"/>, and a publisher that drops events. A store must be added too
    /// (for example <c>AddSqliteRuntimeStore</c>).
    /// </summary>
    public static IServiceCollection AddRuntimeHost(this IServiceCollection services, Action<RuntimeHostOptions>? configure = null)
    {
        var options = services.AddOptions<RuntimeHostOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InProcessDeliveryPort>();
        services.TryAddSingleton<IDeliveryPort>(sp => sp.GetRequiredService<InProcessDeliveryPort>());
        services.TryAddSingleton<IEventCategories>(EventCategories.None);
        services.TryAddSingleton<RuntimeHost>();
        services.TryAddSingleton<IRuntimeHost>(sp => sp.GetRequiredService<RuntimeHost>());
        services.AddHostedService(sp => sp.GetRequiredService<RuntimeHost>());
        return services;
    }
}
