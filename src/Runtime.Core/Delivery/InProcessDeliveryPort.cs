using System.Collections.Concurrent;

namespace Runtime.Core.Delivery;

/// <summary>An in-process sink: receives a run and says how its delivery ended.</summary>
public delegate ValueTask<DeliveryResult> InProcessSink(RunDelivery run, CancellationToken cancellationToken);

/// <summary>
/// The in-process side of <see cref="IDeliveryPort"/>: destinations named <c>inproc:NAME</c> are handled by sinks in
/// this process. Two are built in:
/// <list type="bullet">
/// <item><c>inproc:accept</c> acknowledges every run (the embedded default and benchmarks).</item>
/// <item><c>inproc:fail</c> fails every run with a retryable failure unless results were scripted with
/// <see cref="Script"/> (each scripted result answers one run, in order); tests use it to drive retries.</item>
/// </list>
/// More sinks can be registered. Any other name is <see cref="DestinationAvailability.Missing"/>.
/// </summary>
public sealed class InProcessDeliveryPort : IDeliveryPort
{
    /// <summary>The sink that acknowledges everything.</summary>
    public const string AcceptSink = "inproc:accept";

    /// <summary>The sink that fails unless told otherwise.</summary>
    public const string FailSink = "inproc:fail";

    /// <summary>The prefix of every in-process destination name.</summary>
    public const string Prefix = "inproc:";

    private readonly ConcurrentDictionary<string, Sink> _sinks = new(StringComparer.Ordinal);

    /// <summary>Creates the port with its two built-in sinks.</summary>
    public InProcessDeliveryPort()
    {
        _sinks[AcceptSink] = new Sink((_, _) => ValueTask.FromResult(DeliveryResult.Acked));
        _sinks[FailSink] = new Sink((_, _) => ValueTask.FromResult(
            new DeliveryResult(DeliveryStatus.RetryableFailure, "inproc:fail refused the run")));
    }

    /// <inheritdoc />
    public event EventHandler<DestinationAvailabilityChanged>? AvailabilityChanged;

    /// <summary>Registers (or replaces) a sink under <paramref name="name"/>, which must start with <c>inproc:</c>.</summary>
    public void Register(string name, InProcessSink sink)
    {
        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"In-process destination names start with '{Prefix}'.", nameof(name));
        }

        _sinks[name] = new Sink(sink);
        Raise(name, DestinationAvailability.Available);
    }

    /// <summary>Queues results that answer the next runs sent to <paramref name="name"/>, before its own behaviour.</summary>
    public void Script(string name, params DeliveryResult[] results)
    {
        var sink = Get(name);
        foreach (var result in results)
        {
            sink.Scripted.Enqueue(result);
        }
    }

    /// <summary>Marks a sink available or not (an unavailable sink fails runs and keeps runtimes IDLE).</summary>
    public void SetAvailable(string name, bool available)
    {
        var sink = Get(name);
        if (sink.Available != available)
        {
            sink.Available = available;
            Raise(name, available ? DestinationAvailability.Available : DestinationAvailability.Unavailable);
        }
    }

    /// <summary>How many runs and items a sink has received.</summary>
    public (long Runs, long Items) Received(string name) => _sinks.TryGetValue(name, out var sink)
        ? (Interlocked.Read(ref sink.Runs), Interlocked.Read(ref sink.Items))
        : (0, 0);

    /// <inheritdoc />
    public DestinationAvailability GetAvailability(string destination) =>
        !_sinks.TryGetValue(destination, out var sink) ? DestinationAvailability.Missing
        : sink.Available ? DestinationAvailability.Available
        : DestinationAvailability.Unavailable;

    /// <inheritdoc />
    public ValueTask<DeliveryResult> DeliverAsync(RunDelivery run, CancellationToken cancellationToken)
    {
        if (!_sinks.TryGetValue(run.Destination, out var sink))
        {
            return ValueTask.FromResult(new DeliveryResult(DeliveryStatus.RetryableFailure,
                $"no in-process destination named '{run.Destination}'"));
        }

        if (!sink.Available)
        {
            return ValueTask.FromResult(new DeliveryResult(DeliveryStatus.RetryableFailure,
                $"in-process destination '{run.Destination}' is unavailable"));
        }

        Interlocked.Increment(ref sink.Runs);
        Interlocked.Add(ref sink.Items, run.Items.Count);
        return sink.Scripted.TryDequeue(out var scripted) ? ValueTask.FromResult(scripted) : sink.Handler(run, cancellationToken);
    }

    private Sink Get(string name) => _sinks.TryGetValue(name, out var sink)
        ? sink
        : throw new ArgumentException($"No in-process destination named '{name}'.", nameof(name));

    private void Raise(string name, DestinationAvailability availability) =>
        AvailabilityChanged?.Invoke(this, new DestinationAvailabilityChanged(name, availability));

    private sealed class Sink(InProcessSink handler)
    {
        public long Runs;
        public long Items;

        public InProcessSink Handler { get; } = handler;

        public ConcurrentQueue<DeliveryResult> Scripted { get; } = new();

        public volatile bool Available = true;
    }
}
