using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Runtime.Core.Events;
using Runtime.Core.Inputs;
using Runtime.Observation.BuiltIn;
using Runtime.Observation.BuiltIn.Ledger;
using Runtime.Observation.Events;
using Runtime.Observation.Observers;
using Runtime.Observation.Tests.Support;

namespace Runtime.Observation.Tests.BuiltIn;

public sealed class LedgerObserverTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new();
    private readonly MemoryEventLog _log = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Rates_and_latency_percentiles_come_from_the_event_stream()
    {
        using var stream = new EventStream(Options.Create(new EventStreamOptions()), _time, _log);
        await using var runner = BuiltInObservers.Ledger(stream, new ObserverSettings(TimeSpan.FromSeconds(2), 8), _time);
        await runner.StartAsync(CancellationToken.None);

        for (var i = 1; i <= 100; i++)
        {
            _log.Publish(Input(InputPhase.Accepted));
            _log.Publish(Input(InputPhase.Consumed, TimeSpan.FromMilliseconds(i)));
        }

        _log.Publish(Input(InputPhase.Abandoned));
        _log.Publish(new RuntimeEvent { Kind = RuntimeEventKind.RuntimeCreated, Time = _time.GetUtcNow(), RuntimeId = "rt" });
        await Drive.CycleAsync(_time, runner);

        var observed = Assert.IsType<LedgerRatesObserved>(Assert.Single(Assert.Single(runner.GetHistory(0, 8).Batches).Events));
        Assert.Equal((100L, 100L, 1L), (observed.Accepted, observed.Consumed, observed.Abandoned));
        Assert.Equal(50.0, observed.Rates.AcceptedPerSecond, precision: 6);
        Assert.Equal(0.5, observed.Rates.AbandonedPerSecond, precision: 6);

        var snapshot = Assert.IsType<LedgerSnapshot>(runner.GetSnapshot().Content);
        Assert.Equal(100, snapshot.Latency.Count);
        Assert.InRange(snapshot.Latency.P50.TotalMilliseconds, 49.9, 50.1);
        Assert.InRange(snapshot.Latency.P99.TotalMilliseconds, 98.9, 99.1);
        Assert.InRange(snapshot.Latency.Max.TotalMilliseconds, 99.9, 100.1);
        Assert.Equal(0, snapshot.MissedEvents);

        // An idle cycle makes no batch and reports zero rates.
        await Drive.CycleAsync(_time, runner);
        Assert.Single(runner.GetHistory(0, 8).Batches);
        Assert.Equal(LedgerRates.Zero, Assert.IsType<LedgerSnapshot>(runner.GetSnapshot().Content).LastCycleRates);
    }

    [Fact]
    public async Task Events_lost_to_the_ring_are_counted_not_hidden()
    {
        using var stream = new EventStream(Options.Create(new EventStreamOptions { RingCapacity = 16 }), _time, _log);
        await using var runner = BuiltInObservers.Ledger(stream, new ObserverSettings(TimeSpan.FromSeconds(1), 8), _time);
        await runner.StartAsync(CancellationToken.None);

        for (var i = 0; i < 40; i++)
        {
            _log.Publish(Input(InputPhase.Accepted));
        }

        await Drive.CycleAsync(_time, runner);

        var snapshot = Assert.IsType<LedgerSnapshot>(runner.GetSnapshot().Content);
        Assert.Equal(24, snapshot.MissedEvents);
        Assert.Equal(16, snapshot.Accepted);
    }

    [Fact]
    public async Task What_was_published_before_the_observer_started_is_counted()
    {
        using var stream = new EventStream(Options.Create(new EventStreamOptions()), _time, _log);

        // Recovery publishes while the host starts, before observers run.
        _log.Publish(Input(InputPhase.Accepted));
        _log.Publish(Input(InputPhase.Consumed, TimeSpan.FromMilliseconds(5)));
        await using var runner = BuiltInObservers.Ledger(stream, new ObserverSettings(TimeSpan.FromSeconds(1), 8), _time);
        await runner.StartAsync(CancellationToken.None);
        await Drive.CycleAsync(_time, runner);

        var snapshot = Assert.IsType<LedgerSnapshot>(runner.GetSnapshot().Content);
        Assert.Equal((1L, 1L), (snapshot.Accepted, snapshot.Consumed));
    }

    private RuntimeEvent Input(InputPhase phase, TimeSpan? latency = null) => new()
    {
        Kind = RuntimeEventKind.InputTransitioned,
        Time = _time.GetUtcNow(),
        RuntimeId = "rt-1",
        ToPhase = phase,
        Latency = latency,
    };
}
