using Runtime.Contracts.V1;

namespace Runtime.Client.Streams;

/// <summary>
/// Resume point of an observation <c>Subscribe</c> stream: the last cycle delivered per observer (cycles are counted
/// per observer), and the caller's <c>max_messages</c> / <c>max_duration</c> still to go.
/// </summary>
internal sealed class ObservationCursor(SubscribeRequest request, TimeProvider time)
    : IStreamCursor<SubscribeRequest, SubscribeResponse>
{
    private readonly StreamLimits _limits = new(request.MaxMessages, request.MaxDuration, time);
    private readonly Dictionary<string, ulong> _cycles = new(StringComparer.Ordinal);

    /// <summary>The last cycle delivered per observer.</summary>
    public IReadOnlyDictionary<string, ulong> Cycles => _cycles;

    /// <inheritdoc />
    public bool Exhausted => _limits.Exhausted;

    /// <inheritdoc />
    public SubscribeRequest NextRequest()
    {
        var next = request.Clone();
        foreach (var (observer, cycle) in _cycles)
        {
            next.AfterCycleByObserver[observer] = cycle;
        }

        // The caller already has its snapshots; resuming asks only for what followed them.
        if (_cycles.Count > 0)
        {
            next.IncludeSnapshot = false;
        }

        next.MaxMessages = _limits.RemainingCount();
        next.MaxDuration = _limits.RemainingDuration();
        return next;
    }

    /// <inheritdoc />
    public void Delivered(SubscribeResponse message)
    {
        switch (message.MessageCase)
        {
            case SubscribeResponse.MessageOneofCase.Snapshot:
                Advance(message.Snapshot.Observer, message.Snapshot.Cycle);
                break;
            case SubscribeResponse.MessageOneofCase.Batch:
                Advance(message.Batch.Observer, message.Batch.Cycle);
                break;
            case SubscribeResponse.MessageOneofCase.Failure:
                Advance(message.Failure.Observer, message.Failure.Cycle);
                break;
            case SubscribeResponse.MessageOneofCase.Gap when message.Gap.ResumeAt > 0 && message.Gap.Observer.Length > 0:
                Advance(message.Gap.Observer, message.Gap.ResumeAt - 1);
                break;
            case SubscribeResponse.MessageOneofCase.Heartbeat when request.Observers.Count == 1:
                // A heartbeat's position is a cycle, meaningful only when the stream follows a single observer.
                Advance(request.Observers[0], message.Heartbeat.Position);
                break;
        }

        if (message.MessageCase is not SubscribeResponse.MessageOneofCase.Heartbeat and not SubscribeResponse.MessageOneofCase.None)
        {
            _limits.Count(1);
        }
    }

    private void Advance(string observer, ulong cycle) =>
        _cycles[observer] = _cycles.TryGetValue(observer, out var current) ? Math.Max(current, cycle) : cycle;
}
