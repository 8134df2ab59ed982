using Runtime.Core.Delivery;
using Runtime.Transports.Destinations;

namespace Runtime.Transports.Manager;

/// <summary>
/// The live side of one destination: a slot per wire in priority order. The first send dials every idle wire
/// (each dial single flight, so concurrent first senders share it); a send goes to the best ready wire and falls
/// back to the next when a connection is lost before an answer.
/// </summary>
internal sealed class DestinationTransport
{
    private readonly Lock _lock = new();
    private readonly WireContext _context;
    private DestinationAvailability _availability = DestinationAvailability.Available;
    private bool _removed;

    /// <summary>Creates the (not yet connected) transport of <paramref name="definition"/>.</summary>
    public DestinationTransport(DestinationDefinition definition, WireContext context)
    {
        Definition = definition;
        _context = context;
        Wires = [.. definition.Wires.Select(w => new WireSlot(definition.Name, w, context, Settle))];
    }

    /// <summary>The definition.</summary>
    public DestinationDefinition Definition { get; }

    /// <summary>Its wires in priority order.</summary>
    public IReadOnlyList<WireSlot> Wires { get; }

    /// <summary>Available unless every wire has failed.</summary>
    public DestinationAvailability Availability
    {
        get
        {
            lock (_lock)
            {
                return _availability;
            }
        }
    }

    /// <summary>Delivers one run on the best ready wire, falling back by priority.</summary>
    public async ValueTask<DeliveryResult> DeliverAsync(RunDelivery run, CancellationToken cancellationToken)
    {
        await EnsureDialedAsync(cancellationToken);
        var lane = Lanes.Of(run);
        string? lastError = null;
        foreach (var wire in Wires)
        {
            if (wire.State != WireState.Ready)
            {
                continue;
            }

            var outcome = await wire.SendAsync(run, lane, cancellationToken);
            if (!outcome.ConnectionLost)
            {
                return outcome.Result;
            }

            lastError = outcome.Result.Error;
        }

        var retryAfter = EarliestRetry() is { } next ? next - _context.Time.GetUtcNow() : (TimeSpan?)null;
        return new DeliveryResult(
            DeliveryStatus.RetryableFailure,
            $"no wire of destination '{Definition.Name}' is ready" + (lastError is null ? "" : $" (last error: {lastError})"),
            retryAfter > TimeSpan.Zero ? retryAfter : null);
    }

    /// <summary>Re-dials failed wires whose retry time has come; returns when those attempts ended.</summary>
    public Task RedialDueWiresAsync(DateTimeOffset now)
    {
        var dials = Wires.Where(w => w.IsDue(now)).Select(w => w.DialAsync()).ToList();
        return dials.Count == 0 ? Task.CompletedTask : Task.WhenAll(dials);
    }

    /// <summary>Drops every connection; <paramref name="remove"/> also retires the slots for good.</summary>
    public async Task<int> CloseAsync(bool remove)
    {
        if (remove)
        {
            lock (_lock)
            {
                _removed = true;
            }
        }

        var closed = 0;
        foreach (var wire in Wires)
        {
            closed += await wire.CloseAsync(remove) ? 1 : 0;
        }

        return closed;
    }

    /// <summary>The destination with each wire's live state.</summary>
    public DestinationStatus Snapshot(int boundRuntimes) =>
        new(Definition.Name, [.. Wires.Select(w => w.Snapshot())], boundRuntimes, Definition.CreateTime);

    private Task EnsureDialedAsync(CancellationToken cancellationToken)
    {
        // Idle wires are dialled on the first send after creation or a close. Failed (and still connecting)
        // wires are the health checker's, unless nothing is ready: then a due wire is tried right away.
        var now = _context.Time.GetUtcNow();
        var anyReady = Wires.Any(w => w.State == WireState.Ready);
        List<Task>? dials = null;
        foreach (var wire in Wires)
        {
            var state = wire.State;
            if (state == WireState.Idle || (!anyReady && (state == WireState.Connecting || wire.IsDue(now))))
            {
                (dials ??= []).Add(wire.DialAsync());
            }
        }

        return dials is null ? Task.CompletedTask : Task.WhenAll(dials).WaitAsync(cancellationToken);
    }

    private DateTimeOffset? EarliestRetry() => Wires.Select(w => w.NextRetry).Where(t => t is not null).Min();

    // Runs after every wire state change, outside the wire's lock. Serialised here so the last report always
    // reflects the latest states, even when two wires change at once.
    private void Settle()
    {
        lock (_lock)
        {
            if (_removed)
            {
                return;
            }

            var allFailed = Wires.All(w => w.State == WireState.Failed);
            var availability = allFailed ? DestinationAvailability.Unavailable : DestinationAvailability.Available;
            if (availability == _availability)
            {
                return;
            }

            _availability = availability;
            _context.Notifier.DestinationChanged(Definition.Name, allFailed ? "unavailable" : "available");
            _context.Notifier.AvailabilityChanged(Definition.Name, availability);
        }
    }
}
