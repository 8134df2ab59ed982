using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Runtime.Core.Errors;
using Runtime.Observation.Filtering;
using Runtime.Observation.Observers;
using Runtime.Observation.Subscriptions;

namespace Runtime.Observation;

/// <summary>
/// The observation facade the gRPC layer calls: the registered observers (ListObservers, GetSnapshot, GetHistory),
/// their subscriptions (Subscribe) and subscription statistics. Starts and stops the observers with the host.
/// </summary>
public sealed class ObservationEngine : IHostedService, IAsyncDisposable
{
    private readonly Dictionary<string, ObserverRunner> _runners;
    private readonly SubscriptionHub _hub;

    /// <summary>Creates the engine over <paramref name="runners"/> (names must be unique).</summary>
    public ObservationEngine(IEnumerable<ObserverRunner> runners, IOptions<ObservationOptions> options, TimeProvider time)
    {
        var settings = ObservationOptionsValidator.Check(options.Value);
        _runners = new Dictionary<string, ObserverRunner>(StringComparer.Ordinal);
        foreach (var runner in runners)
        {
            if (!_runners.TryAdd(runner.Name, runner))
            {
                throw new ArgumentException($"Two observers are named '{runner.Name}'.", nameof(runners));
            }
        }

        _hub = new SubscriptionHub(_runners, settings.SubscriberBufferSize, settings.HeartbeatInterval, time);
    }

    /// <summary>Starts every observer (each takes its initial snapshot first).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var runner in _runners.Values)
        {
            await runner.StartAsync(cancellationToken);
        }
    }

    /// <summary>Stops every observer.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var runner in _runners.Values)
        {
            await runner.StopAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var runner in _runners.Values)
        {
            await runner.DisposeAsync();
        }
    }

    /// <summary>Every observer's status, by name.</summary>
    public IReadOnlyList<ObserverStatus> ListObservers() =>
        _runners.Values.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => r.GetStatus()).ToArray();

    /// <summary>The runner of <paramref name="observer"/>; NOT_FOUND when there is none.</summary>
    public ObserverRunner GetObserver(string observer) =>
        _runners.TryGetValue(observer, out var runner)
            ? runner
            : throw Fail.NotFound("OBSERVER_NOT_FOUND", $"No observer is named '{observer}'.", ("observer", observer));

    /// <summary>The last good snapshot of <paramref name="observer"/>, restricted by <paramref name="filter"/>.</summary>
    public ObservationSnapshot GetSnapshot(string observer, IObservationFilter? filter = null) =>
        GetObserver(observer).GetSnapshot().Filter(filter ?? RuntimeFilter.All);

    /// <summary>Batches of <paramref name="observer"/> after <paramref name="afterCycle"/> (a gap says what was trimmed).</summary>
    public ObserverHistory GetHistory(string observer, long afterCycle, int maxBatches, IObservationFilter? filter = null)
    {
        new Validator()
            .Require(afterCycle >= 0, "after_cycle", "must not be negative (0 returns all the history)")
            .Require(maxBatches > 0, "max_batches", "must be positive")
            .ThrowIfInvalid();
        var history = GetObserver(observer).GetHistory(afterCycle, maxBatches);
        filter ??= RuntimeFilter.All;
        return filter.MatchesAll
            ? history
            : history with { Batches = history.Batches.Select(b => b.Filter(filter)).OfType<ObservationBatch>().ToArray() };
    }

    /// <summary>
    /// A subscription stream: for each chosen observer an optional snapshot (or, when resuming, the batches after
    /// the resume cycle, or a gap and a fresh snapshot), then live batches, heartbeats when idle. Ends normally when
    /// a bound is met; cancelling the token ends it and frees the subscription.
    /// </summary>
    public IAsyncEnumerable<ObservationMessage> Subscribe(SubscriptionRequest request, CancellationToken cancellationToken = default) =>
        _hub.Subscribe(request, cancellationToken);

    /// <summary>Subscription counters: totals since start and each open subscription's lag, drops and resyncs.</summary>
    public SubscriptionStatistics GetSubscriptionStatistics() => _hub.GetStatistics();
}
