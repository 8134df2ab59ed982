using Grpc.Health.V1;
using Runtime.Server.Tests.Infrastructure;
using V1 = Grpc.Reflection.V1;

namespace Runtime.Server.Tests.Hosting;

/// <summary>Smoke tests of the real server binary over a real loopback socket.</summary>
public sealed class ServerProcessTests
{
    [Fact]
    public async Task The_real_server_serves_health_and_reflection_and_stops_cleanly_on_sigterm()
    {
        var data = TempDirectory.Create();
        try
        {
            await using var server = await ServerProcess.StartAsync(data);

            var health = await new Health.HealthClient(server.Channel).CheckAsync(new HealthCheckRequest());
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

            using (var call = new V1.ServerReflection.ServerReflectionClient(server.Channel).ServerReflectionInfo())
            {
                await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { ListServices = "" });
                await call.RequestStream.CompleteAsync();
                Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
                Assert.Contains(call.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "grpc.health.v1.Health");
            }

            var exitCode = await server.StopAsync(TimeSpan.FromSeconds(20));

            Assert.Equal(0, exitCode);
            Assert.Contains("Runtime stopping", server.Output, StringComparison.Ordinal);
            Assert.True(Directory.Exists(data));
        }
        finally
        {
            TempDirectory.Delete(data);
        }
    }
}
