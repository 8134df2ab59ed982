using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Runtime.Core.Hosting;
using Runtime.Core.Runtimes;
using Runtime.Storage.Sqlite;

namespace Runtime.Core.Tests.Hosting;

public sealed class ServiceRegistrationTests
{
    [Fact]
    public async Task Host_and_store_wire_up_start_and_survive_a_container_restart()
    {
        var directory = Path.Combine(Path.GetTempPath(), "runtime-di-tests", Guid.NewGuid().ToString("N"));
        try
        {
            string inputId;
            await using (var provider = Build(directory))
            {
                await StartAsync(provider);
                var host = provider.GetRequiredService<IRuntimeHost>();
                await host.CreateRuntimeAsync(new RuntimeSpec { RuntimeId = "rt" });
                inputId = (await host.AcceptInputAsync("rt", new InputSubmission { Payload = new byte[] { 1 } })).InputId;
            }

            await using (var provider = Build(directory))
            {
                await StartAsync(provider);
                var host = provider.GetRequiredService<IRuntimeHost>();
                Assert.Equal(RuntimeState.Idle, (await host.GetRuntimeAsync("rt")).State);
                Assert.Equal(Inputs.InputPhase.Queued, (await host.GetInputStateAsync("rt", inputId)).Phase);
            }

            Assert.True(File.Exists(Path.Combine(directory, "runtime.db")));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static ServiceProvider Build(string directory) =>
        new ServiceCollection()
            .AddRuntimeHost(o => o.IdleDeactivationDelay = TimeSpan.FromMinutes(1))
            .AddSqliteRuntimeStore(o => o.DataDirectory = directory)
            .BuildServiceProvider();

    private static async Task StartAsync(IServiceProvider provider)
    {
        foreach (var service in provider.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }
    }
}
