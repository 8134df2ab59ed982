using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Time.Testing;
using Runtime.Contracts.V1;
using Runtime.Core.Delivery;
using Runtime.Core.Hosting;
using Runtime.Observation;
using Runtime.Server.Hosting;
using Runtime.Server.Tests.Infrastructure;

namespace Runtime.Server.Tests.Observation;

/// <summary>
/// The real server app on an in-memory test server (its runtime host over a real SQLite file in a temporary data
/// directory) with fake time: each <see cref="CycleAsync"/> runs exactly one cycle of every observer.
/// </summary>
public sealed class ObservationServer : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private WebApplication? _app;

    private ObservationServer(string dataDirectory, FakeTimeProvider time)
    {
        DataDirectory = dataDirectory;
        Time = time;
    }

    public string DataDirectory { get; }

    public FakeTimeProvider Time { get; }

    public GrpcChannel Channel { get; private set; } = null!;

    public ObservationService.ObservationServiceClient Client { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public ObservationEngine Engine => Services.GetRequiredService<ObservationEngine>();

    public IRuntimeHost Host => Services.GetRequiredService<IRuntimeHost>();

    /// <summary>Starts a server over <paramref name="dataDirectory"/> (a fresh one when null).</summary>
    public static async Task<ObservationServer> StartAsync(
        string? dataDirectory = null, FakeTimeProvider? time = null, int historyLimit = 4, int bufferSize = 4)
    {
        var server = new ObservationServer(dataDirectory ?? TempDirectory.Create(), time ?? new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        await server.OpenAsync(historyLimit, bufferSize);
        return server;
    }

    /// <summary>Advances one interval and waits until every observer has run its next cycle.</summary>
    public async Task CycleAsync()
    {
        var runners = Engine.ListObservers().Select(o => Engine.GetObserver(o.Name)).ToArray();
        var next = runners.Select(r => r.CurrentCycle + 1).ToArray();
        Time.Advance(Interval);
        await Task.WhenAll(runners.Select((r, i) => r.WhenCycleAsync(next[i]))).WaitAsync(Patience);
    }

    /// <summary>The current cycle of <paramref name="observer"/>.</summary>
    public long CurrentCycle(string observer) => Engine.GetObserver(observer).CurrentCycle;

    /// <summary>Creates a runtime bound to the in-process accepting sink.</summary>
    public Task CreateRuntimeAsync(string runtimeId, params (string Key, string Value)[] labels) =>
        Host.CreateRuntimeAsync(new RuntimeSpec
        {
            RuntimeId = runtimeId,
            Destination = InProcessDeliveryPort.AcceptSink,
            Labels = labels.ToDictionary(l => l.Key, l => l.Value),
        });

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds; for state with no signal of its own.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>Stops the app gracefully (streams end with UNAVAILABLE), keeping the data directory.</summary>
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }

        Channel?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        TempDirectory.Delete(DataDirectory);
    }

    private async Task OpenAsync(int historyLimit, int bufferSize)
    {
        _app = RuntimeServerApp.Build([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Runtime:DataDirectory"] = DataDirectory,
                ["Runtime:Observation:Interval"] = Interval.ToString(),
                ["Runtime:Observation:HistoryLimit"] = historyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Runtime:Observation:SubscriberBufferSize"] = bufferSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Runtime:Observation:HeartbeatInterval"] = "00:00:30",
            });
            builder.Services.AddSingleton<TimeProvider>(Time);
        });
        await _app.StartAsync();
        Channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = _app.GetTestServer().CreateHandler() });
        Client = new ObservationService.ObservationServiceClient(Channel);
    }
}
