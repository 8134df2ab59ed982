using HdrHistogram;
using Runtime.Core.Events;
using Runtime.Core.Inputs;
using Runtime.Observation.Events;
using Runtime.Observation.Observers;

namespace Runtime.Observation.BuiltIn.Ledger;

/// <summary>
/// The <c>ledger</c> observer, fed from the event stream: each cycle it reads the input transitions published since
/// the last one and reports accepted / consumed / abandoned per second and accept-to-consume latency percentiles
/// (HdrHistogram, microsecond resolution).
/// </summary>
public sealed class LedgerObserver(TimeProvider time) : IObserver<EventStream, LedgerObserver.State>
{
    /// <summary>The observer's name.</summary>
    public const string Name = "ledger";

    private const int ReadChunk = 4_096;
    private static readonly long HighestMicroseconds = (long)TimeSpan.FromHours(1).TotalMicroseconds;

    /// <summary>The one source: the event stream itself.</summary>
    public static ISourceProvider<EventStream> SourceFor(EventStream stream)
    {
        IReadOnlyList<EventStream> sources = [stream];
        return new DelegateSourceProvider<EventStream>(_ => ValueTask.FromResult(sources));
    }

    /// <summary>
    /// Starts at the stream's first sequence of this process, so everything published before the observer started
    /// (the inputs recovery re-queues at start) is counted too, as long as the ring still holds it.
    /// </summary>
    public ValueTask<State> InitAsync(IReadOnlyList<EventStream> sources, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new State
        {
            Cursor = sources.Count > 0 ? sources[0].FirstSequence - 1 : 0,
            LastPoll = time.GetUtcNow(),
        });

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ObservationEvent>> PollAsync(
        IReadOnlyList<EventStream> sources, State state, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var window = now - state.LastPoll;
        state.LastPoll = now;
        long accepted = 0, consumed = 0, abandoned = 0;
        var cycleLatency = state.CycleLatency;
        cycleLatency.Reset();
        foreach (var stream in sources)
        {
            var cursor = state.Cursor;
            var chunk = new List<StreamedEvent>(ReadChunk);

            // Bounded: the ring holds at most its capacity, so a few chunks past it means we caught up.
            for (var reads = 0; reads < 1_024 && cursor < stream.LastSequence; reads++)
            {
                chunk.Clear();
                if (stream.Read(ref cursor, ReadChunk, IsInputTransition, chunk) is { } gap)
                {
                    state.MissedEvents += gap.ToSequence - gap.FromSequence + 1;
                }

                foreach (var streamed in chunk)
                {
                    switch (streamed.Event.ToPhase)
                    {
                        case InputPhase.Accepted:
                            accepted++;
                            break;
                        case InputPhase.Consumed:
                            consumed++;
                            if (streamed.Event.Latency is { } latency)
                            {
                                var micros = Math.Clamp((long)latency.TotalMicroseconds, 0, HighestMicroseconds);
                                cycleLatency.RecordValue(micros);
                                state.Latency.RecordValue(micros);
                            }

                            break;
                        case InputPhase.Abandoned:
                            abandoned++;
                            break;
                    }
                }
            }

            state.Cursor = cursor;
        }

        state.Accepted += accepted;
        state.Consumed += consumed;
        state.Abandoned += abandoned;
        var seconds = window.TotalSeconds;
        state.LastRates = seconds > 0 ? new LedgerRates(accepted / seconds, consumed / seconds, abandoned / seconds) : LedgerRates.Zero;
        state.LastLatency = Percentiles(cycleLatency);
        IReadOnlyList<ObservationEvent> events = accepted + consumed + abandoned == 0
            ? []
            : [new LedgerRatesObserved(accepted, consumed, abandoned, window, state.LastRates, state.LastLatency)];
        return ValueTask.FromResult(events);
    }

    /// <inheritdoc />
    public SnapshotContent Snapshot(State state) => new LedgerSnapshot(
        state.Accepted,
        state.Consumed,
        state.Abandoned,
        state.LastRates,
        state.LastLatency,
        Percentiles(state.Latency),
        state.MissedEvents);

    private static bool IsInputTransition(StreamedEvent e) => e.Event.Kind == RuntimeEventKind.InputTransitioned;

    private static LongHistogram NewHistogram() => new(HighestMicroseconds, 3);

    private static LatencyPercentiles Percentiles(LongHistogram histogram) =>
        histogram.TotalCount == 0
            ? LatencyPercentiles.None
            : new LatencyPercentiles(
                histogram.TotalCount,
                Micros(histogram.GetValueAtPercentile(50)),
                Micros(histogram.GetValueAtPercentile(95)),
                Micros(histogram.GetValueAtPercentile(99)),
                Micros(histogram.GetMaxValue()));

    private static TimeSpan Micros(long value) => TimeSpan.FromMicroseconds(value);

    /// <summary>Counters, the stream cursor and the latency histogram since start.</summary>
    public sealed class State
    {
        /// <summary>The last event sequence read.</summary>
        public long Cursor { get; set; }

        /// <summary>When the last poll ran.</summary>
        public DateTimeOffset LastPoll { get; set; }

        /// <summary>Inputs accepted since start.</summary>
        public long Accepted { get; set; }

        /// <summary>Inputs consumed since start.</summary>
        public long Consumed { get; set; }

        /// <summary>Inputs abandoned since start.</summary>
        public long Abandoned { get; set; }

        /// <summary>Events lost because the observer fell behind the ring.</summary>
        public long MissedEvents { get; set; }

        /// <summary>The last cycle's rates.</summary>
        public LedgerRates LastRates { get; set; } = LedgerRates.Zero;

        /// <summary>The last cycle's latency.</summary>
        public LatencyPercentiles LastLatency { get; set; } = LatencyPercentiles.None;

        /// <summary>Accept-to-consume latency since start, in microseconds.</summary>
        public LongHistogram Latency { get; } = NewHistogram();

        /// <summary>The same for the current cycle only (reused: histograms are not small).</summary>
        public LongHistogram CycleLatency { get; } = NewHistogram();
    }
}
