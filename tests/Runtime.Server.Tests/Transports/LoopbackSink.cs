using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Runtime.SampleSink;

namespace Runtime.Server.Tests.Transports;

/// <summary>The sample sink on a real loopback port; it can be stopped and started again on the same port.</summary>
internal sealed class LoopbackSink : IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The port it listens on (kept across restarts).</summary>
    public int Port { get; private set; }

    /// <summary>The running instance's ledger (a new one after each restart).</summary>
    public SinkLedger Ledger => Services.GetRequiredService<SinkLedger>();

    /// <summary>The running instance's fault injector.</summary>
    public FaultInjector Faults => Services.GetRequiredService<FaultInjector>();

    /// <summary>Address of a grpc wire to it.</summary>
    public string GrpcAddress => $"http://127.0.0.1:{Port}";

    /// <summary>Address of a websocket wire to it.</summary>
    public string WebSocketAddress => $"ws://127.0.0.1:{Port}/ws";

    /// <summary>Address of an http wire to it.</summary>
    public string HttpAddress => $"http://127.0.0.1:{Port}/deliver";

    private IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("the sink is stopped");

    /// <summary>Starts a sink on a free port.</summary>
    public static async Task<LoopbackSink> StartAsync()
    {
        var sink = new LoopbackSink();
        await sink.RestartAsync();
        return sink;
    }

    /// <summary>Starts it again, on the same port.</summary>
    public async Task RestartAsync()
    {
        var app = SampleSinkApp.Build([
            "--urls", $"http://127.0.0.1:{Port}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel=Error",
        ]);
        await app.StartAsync().WaitAsync(EndToEndServer.Timeout);
        Port = new Uri(app.Urls.First()).Port;
        _app = app;
    }

    /// <summary>Stops it: streams end, the port closes.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync().WaitAsync(EndToEndServer.Timeout);
            await app.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(StopAsync());
}
