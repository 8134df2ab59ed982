using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Runtime.Observation.Observers;

namespace Runtime.Observation.Tests.Support;

/// <summary>One scripted observer in an engine on fake time, driven cycle by cycle.</summary>
public sealed class ObserverFixture : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private ObserverFixture(ObservationOptions options)
    {
        Runner = ObserverRunner.Create("scripted", Observer, Observer, options.SettingsFor("scripted"), Time);
        Engine = new ObservationEngine([Runner], Options.Create(options), Time);
    }

    public FakeTimeProvider Time { get; } = new();

    public ScriptedObserver Observer { get; } = new();

    public ObserverRunner Runner { get; }

    public ObservationEngine Engine { get; }

    public static async Task<ObserverFixture> StartAsync(
        int historyLimit = 8, int bufferSize = 16, TimeSpan? heartbeat = null)
    {
        var fixture = new ObserverFixture(new ObservationOptions
        {
            Interval = Interval,
            HistoryLimit = historyLimit,
            SubscriberBufferSize = bufferSize,
            HeartbeatInterval = heartbeat ?? TimeSpan.FromMinutes(10),
        });
        await fixture.Engine.StartAsync(CancellationToken.None);
        return fixture;
    }

    /// <summary>Advances one interval and waits until the next cycle has run.</summary>
    public async Task CycleAsync()
    {
        var next = Runner.CurrentCycle + 1;
        Time.Advance(Interval);
        await Bounded.Wait(Runner.WhenCycleAsync(next));
    }

    /// <summary>Runs one cycle that emits one event about <paramref name="runtimeId"/>.</summary>
    public Task EmitCycleAsync(string runtimeId = "rt-1")
    {
        Observer.EmitFor(runtimeId, $"c{Runner.CurrentCycle + 1}");
        return CycleAsync();
    }

    public async ValueTask DisposeAsync() => await Engine.DisposeAsync();
}
