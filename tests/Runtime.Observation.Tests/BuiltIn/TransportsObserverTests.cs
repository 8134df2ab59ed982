using Microsoft.Extensions.Time.Testing;
using Runtime.Observation.BuiltIn;
using Runtime.Observation.BuiltIn.Transports;
using Runtime.Observation.Observers;
using Runtime.Observation.Tests.Support;

namespace Runtime.Observation.Tests.BuiltIn;

public sealed class TransportsObserverTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeTransportCatalog _catalog = new();

    [Fact]
    public async Task Wire_states_become_connected_failed_reconnected_and_removed_events()
    {
        _catalog.Destinations = [Destination("sink", WireState.Idle)];
        await using var runner = BuiltInObservers.Transports(_catalog, new ObserverSettings(TimeSpan.FromSeconds(1), 16), _time);
        await runner.StartAsync(CancellationToken.None);

        foreach (var step in new[]
        {
            Destination("sink", WireState.Ready),
            Destination("sink", WireState.Failed),
            Destination("sink", WireState.Ready, reconnects: 1),
            Destination("sink", WireState.Ready, reconnects: 2),
        })
        {
            _catalog.Destinations = [step];
            await Drive.CycleAsync(_time, runner);
        }

        _catalog.Destinations = [Destination("other", WireState.Idle)];
        await Drive.CycleAsync(_time, runner);

        var kinds = runner.GetHistory(0, 16).Batches.SelectMany(b => b.Events).Select(e => e.Kind);
        Assert.Equal(
            ["wire_connected", "wire_failed", "wire_reconnected", "wire_reconnected", "destination_added", "destination_removed"],
            kinds);

        var failed = runner.GetHistory(0, 16).Batches.SelectMany(b => b.Events).OfType<WireFailed>().Single();
        Assert.Equal("sink", failed.Subject);
        Assert.Equal("Failed", failed.Describe()["wire_state"]);
        Assert.Equal("grpc", failed.Describe()["wire_kind"]);

        var snapshot = Assert.IsType<TransportsSnapshot>(runner.GetSnapshot().Content);
        Assert.Equal("other", Assert.Single(snapshot.Destinations).Name);
        Assert.Equal(1, snapshot.WiresByState[WireState.Idle]);
    }

    private static DestinationInfo Destination(string name, WireState state, long reconnects = 0) =>
        new(name, [new WireInfo("grpc", "http://127.0.0.1:7001", 0, state, reconnects)]);

    private sealed class FakeTransportCatalog : ITransportCatalog
    {
        public IReadOnlyList<DestinationInfo> Destinations { get; set; } = [];

        public ValueTask<IReadOnlyList<DestinationInfo>> ListDestinationsAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult(Destinations);
    }
}
