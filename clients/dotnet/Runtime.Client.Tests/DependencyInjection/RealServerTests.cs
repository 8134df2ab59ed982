using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Runtime.Client.Tests.Infrastructure;

namespace Runtime.Client.Tests.DependencyInjection;

/// <summary>The client as an application registers it, against the real server binary.</summary>
[Collection(RealServerCollection.Name)]
public sealed class RealServerTests(RealServer server)
{
    [Fact]
    public async Task AddRuntimeClient_reaches_the_real_server_over_h2c()
    {
        await using var services = TestClients.Create(server.Address);
        var client = services.GetRequiredService<RuntimeClient>();

        var reply = await client.Health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public void Every_generated_client_is_injectable_on_its_own()
    {
        using var services = TestClients.Create(server.Address);

        Assert.NotNull(services.GetRequiredService<Contracts.V1.RuntimeDriverService.RuntimeDriverServiceClient>());
        Assert.NotNull(services.GetRequiredService<Contracts.V1.RuntimeControlPlaneService.RuntimeControlPlaneServiceClient>());
        Assert.NotNull(services.GetRequiredService<Contracts.V1.TransportService.TransportServiceClient>());
        Assert.NotNull(services.GetRequiredService<Contracts.V1.ObservationService.ObservationServiceClient>());
    }
}
