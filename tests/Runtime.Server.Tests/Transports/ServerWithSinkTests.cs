using Runtime.Contracts.V1;

namespace Runtime.Server.Tests.Transports;

/// <summary>
/// A real server on loopback next to a sample sink, each test class getting fresh ones: the setting of the transport
/// tests that talk to the server over gRPC and deliver to the sink.
/// </summary>
public abstract class ServerWithSinkTests : IAsyncLifetime
{
    /// <summary>The server under test.</summary>
    internal EndToEndServer Server { get; private set; } = null!;

    /// <summary>The sink its destinations point at.</summary>
    internal LoopbackSink Sink { get; private set; } = null!;

    /// <summary>The server's TransportService.</summary>
    protected TransportService.TransportServiceClient Client => new(Server.Channel);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Sink = await LoopbackSink.StartAsync();
        Server = await EndToEndServer.StartAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Sink.DisposeAsync();
    }

    /// <summary>Creates a destination over TransportService.</summary>
    protected async Task DefineAsync(string name, params (WireKind Kind, string Address, int Priority)[] wires)
    {
        var request = new CreateDestinationRequest { Name = name };
        request.Wires.AddRange(wires.Select(w => new Wire { Kind = w.Kind, Address = w.Address, Priority = w.Priority }));
        await Client.CreateDestinationAsync(request);
    }
}
