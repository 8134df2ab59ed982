using Runtime.Observation.Filtering;
using Runtime.Observation.Observers;

namespace Runtime.Observation.Tests.Support;

/// <summary>An event a test scripts: about one runtime, with optional labels.</summary>
public sealed record TestEvent(string Name) : ObservationEvent
{
    public override string Kind => "test";
}

/// <summary>The scripted observer's snapshot: how many polls it has seen and the runtimes it knows.</summary>
public sealed record CounterSnapshot(int Polls, IReadOnlyList<string> Runtimes) : SnapshotContent
{
    public override SnapshotContent Filter(IObservationFilter filter) =>
        this with { Runtimes = Runtimes.Where(r => filter.Matches(new TestEvent(r) { RuntimeId = r })).ToArray() };
}

/// <summary>Its state.</summary>
public sealed class CounterState
{
    public int Polls { get; set; }

    public List<string> Runtimes { get; } = [];
}

/// <summary>
/// An observer driven by the test: events queued with <see cref="Emit"/> come out of the next poll; failures can be
/// switched on for the source refresh or the poll.
/// </summary>
public sealed class ScriptedObserver : IObserver<string, CounterState>, ISourceProvider<string>
{
    private readonly Lock _lock = new();
    private readonly Queue<ObservationEvent[]> _script = new();

    public IReadOnlyList<string> Sources { get; set; } = ["a", "b"];

    public string? FailSources { get; set; }

    public string? FailPoll { get; set; }

    /// <summary>Queues the events of one future poll.</summary>
    public void Emit(params ObservationEvent[] events)
    {
        lock (_lock)
        {
            _script.Enqueue(events);
        }
    }

    /// <summary>Queues one test event about <paramref name="runtimeId"/> for the next poll.</summary>
    public void EmitFor(string runtimeId, string name = "e") => Emit(new TestEvent(name) { RuntimeId = runtimeId });

    public ValueTask<IReadOnlyList<string>> GetSourcesAsync(CancellationToken cancellationToken) =>
        FailSources is { } message
            ? throw new InvalidOperationException(message)
            : ValueTask.FromResult(Sources);

    public ValueTask<CounterState> InitAsync(IReadOnlyList<string> sources, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new CounterState());

    public ValueTask<IReadOnlyList<ObservationEvent>> PollAsync(
        IReadOnlyList<string> sources, CounterState state, CancellationToken cancellationToken)
    {
        if (FailPoll is { } message)
        {
            throw new InvalidOperationException(message);
        }

        state.Polls++;
        ObservationEvent[] events;
        lock (_lock)
        {
            events = _script.TryDequeue(out var next) ? next : [];
        }

        state.Runtimes.AddRange(events.Select(e => e.RuntimeId).OfType<string>());
        return ValueTask.FromResult<IReadOnlyList<ObservationEvent>>(events);
    }

    public SnapshotContent Snapshot(CounterState state) => new CounterSnapshot(state.Polls, [.. state.Runtimes]);
}
