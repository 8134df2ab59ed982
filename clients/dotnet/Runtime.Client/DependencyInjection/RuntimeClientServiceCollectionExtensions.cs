using Grpc.Health.V1;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Runtime.Client;
using Runtime.Client.Errors;
using Runtime.Contracts.V1;

// In the DI namespace on purpose: AddRuntimeClient shows up wherever services are registered.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Runtime client on <c>Grpc.Net.ClientFactory</c>.</summary>
public static class RuntimeClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RuntimeClient"/> and the generated clients of every Runtime service (each injectable on
    /// its own), all on the address in <see cref="RuntimeClientOptions"/>, with errors translated to
    /// <see cref="RuntimeClientException"/> and cancellation surfacing as <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options (at least <see cref="RuntimeClientOptions.Address"/>).</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddRuntimeClient(this IServiceCollection services, Action<RuntimeClientOptions> configure)
    {
        services.AddOptions<RuntimeClientOptions>()
            .Configure(configure)
            .Validate(o => o.Address.IsAbsoluteUri, "RuntimeClientOptions.Address must be an absolute URI")
            .Validate(o => o.InputPollInterval > TimeSpan.Zero, "RuntimeClientOptions.InputPollInterval must be positive");
        services.TryAddSingleton(TimeProvider.System);
        AddGeneratedClient<RuntimeDriverService.RuntimeDriverServiceClient>(services);
        AddGeneratedClient<RuntimeControlPlaneService.RuntimeControlPlaneServiceClient>(services);
        AddGeneratedClient<TransportService.TransportServiceClient>(services);
        AddGeneratedClient<ObservationService.ObservationServiceClient>(services);
        AddGeneratedClient<Health.HealthClient>(services);
        services.TryAddTransient<RuntimeClient>();
        return services;
    }

    private static void AddGeneratedClient<TClient>(IServiceCollection services)
        where TClient : class =>
        services
            .AddGrpcClient<TClient>((provider, factory) =>
                factory.Address = provider.GetRequiredService<IOptions<RuntimeClientOptions>>().Value.Address)
            .ConfigureChannel(channel => channel.ThrowOperationCanceledOnCancellation = true)
            .AddInterceptor(InterceptorScope.Channel, _ => new RuntimeErrorInterceptor());
}
