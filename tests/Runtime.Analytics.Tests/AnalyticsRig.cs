using Microsoft.Extensions.Options;
using Runtime.Analytics.Filters;
using Runtime.Analytics.Pipeline;
using Runtime.Analytics.Stats;
using Runtime.Core.Events;
using Runtime.Observation.Events;

namespace Runtime.Analytics.Tests;

/// <summary>A real event stream over an in-memory event log with the analytics pump running over it.</summary>
internal sealed class AnalyticsRig : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pumping;

    public AnalyticsRig(string dataDirectory, params IAnalyticsConsumer[] extra)
    {
        Options = Microsoft.Extensions.Options.Options.Create(new AnalyticsOptions { DataDirectory = dataDirectory });
        Stream = new EventStream(Microsoft.Extensions.Options.Options.Create(new EventStreamOptions()), TimeProvider.System, Log);
        Filter = new ServerFilter(TimeProvider.System, Options);
        Stats = new StatsEngine(Microsoft.Extensions.Options.Options.Create(new StatsOptions()), TimeProvider.System);
        Pump = new AnalyticsPump(Stream, Filter, [Stats, .. extra]);
        _pumping = Pump.RunAsync(_stop.Token);
    }

    public IOptions<AnalyticsOptions> Options { get; }

    public MemoryEventLog Log { get; } = new();

    public EventStream Stream { get; }

    public ServerFilter Filter { get; }

    public StatsEngine Stats { get; }

    public AnalyticsPump Pump { get; }

    /// <summary>Commits one event as a producer would: only when its category is on. Returns its sequence, or 0.</summary>
    public long Publish(RuntimeEvent e) => Stream.IsEnabled(e.Category) ? Log.Publish(e) : 0;

    /// <summary>Publishes the events and waits (bounded) until the pump has looked at all of them.</summary>
    public async Task PublishAsync(params IEnumerable<RuntimeEvent> events)
    {
        foreach (var e in events)
        {
            Publish(e);
        }

        using var timeout = new CancellationTokenSource(Bound);
        await Pump.WhenProcessedAsync(Stream.LastSequence, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pumping.WaitAsync(Bound);
        Stream.Dispose();
        _stop.Dispose();
    }
}
