using Microsoft.Extensions.Time.Testing;
using Runtime.Core.Inputs;
using Runtime.Core.Runtimes;
using Runtime.Observation.BuiltIn;
using Runtime.Observation.BuiltIn.Runtimes;
using Runtime.Observation.Filtering;
using Runtime.Observation.Observers;
using Runtime.Observation.Tests.Support;

namespace Runtime.Observation.Tests.BuiltIn;

public sealed class RuntimesObserverTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeRuntimeCatalog _catalog = new();

    [Fact]
    public async Task Creations_state_changes_and_destructions_become_events_and_the_snapshot_counts_states()
    {
        _catalog.Runtimes = [Runtime("orders-1", RuntimeState.Idle, 0)];
        await using var runner = BuiltInObservers.Runtimes(_catalog, new ObserverSettings(TimeSpan.FromSeconds(1), 8), _time);
        await runner.StartAsync(CancellationToken.None);

        _catalog.Runtimes =
        [
            Runtime("orders-1", RuntimeState.Running, 3),
            Runtime("orders-2", RuntimeState.Idle, 1),
        ];
        await Drive.CycleAsync(_time, runner);
        _catalog.Runtimes = [Runtime("orders-2", RuntimeState.Destroyed, 0)];
        await Drive.CycleAsync(_time, runner);

        var batches = runner.GetHistory(0, 10).Batches;
        Assert.Collection(
            batches[0].Events,
            e => Assert.Equal(new RuntimeStateChanged(RuntimeState.Idle, RuntimeState.Running) { RuntimeId = "orders-1", Labels = e.Labels }, e),
            e => Assert.Equal(new RuntimeCreated(RuntimeState.Idle, null) { RuntimeId = "orders-2", Labels = e.Labels }, e));
        Assert.Equal(
            ["runtime_state_changed:orders-2", "runtime_destroyed:orders-2", "runtime_destroyed:orders-1"],
            batches[1].Events.Select(e => $"{e.Kind}:{e.RuntimeId}"));

        var snapshot = Assert.IsType<RuntimesSnapshot>(runner.GetSnapshot().Content);
        Assert.Equal(1, snapshot.CountsByState[RuntimeState.Destroyed]);
        Assert.Equal("orders-2", Assert.Single(snapshot.Runtimes).RuntimeId);
    }

    [Fact]
    public async Task The_snapshot_has_queue_depths_and_phase_counts_and_filters_by_prefix_and_label()
    {
        _catalog.Runtimes =
        [
            Runtime("orders-1", RuntimeState.Running, 5, env: "prod"),
            Runtime("orders-2", RuntimeState.Idle, 2, env: "dev"),
            Runtime("billing-1", RuntimeState.Idle, 7, env: "prod"),
        ];
        await using var runner = BuiltInObservers.Runtimes(_catalog, new ObserverSettings(TimeSpan.FromSeconds(1), 8), _time);
        await runner.StartAsync(CancellationToken.None);

        var all = Assert.IsType<RuntimesSnapshot>(runner.GetSnapshot().Content);
        Assert.Equal(14, all.TotalQueueDepth);
        Assert.Equal(5, all.Runtimes.Single(r => r.RuntimeId == "orders-1").PhaseCounts[InputPhase.Queued]);

        var filter = new RuntimeFilter("orders-", new Dictionary<string, string> { ["env"] = "prod" });
        var filtered = Assert.IsType<RuntimesSnapshot>(runner.GetSnapshot().Filter(filter).Content);
        Assert.Equal("orders-1", Assert.Single(filtered.Runtimes).RuntimeId);
        Assert.Equal(1, filtered.CountsByState[RuntimeState.Running]);
        Assert.False(filtered.CountsByState.ContainsKey(RuntimeState.Idle));
    }

    private static RuntimeInfo Runtime(string id, RuntimeState state, long queued, string env = "prod") => new()
    {
        RuntimeId = id,
        State = state,
        QueueDepth = queued,
        PhaseCounts = new Dictionary<InputPhase, long> { [InputPhase.Queued] = queued },
        Labels = new Dictionary<string, string> { ["env"] = env },
    };

    private sealed class FakeRuntimeCatalog : IRuntimeCatalog
    {
        public IReadOnlyList<RuntimeInfo> Runtimes { get; set; } = [];

        public ValueTask<IReadOnlyList<RuntimeInfo>> ListRuntimesAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult(Runtimes);
    }
}
