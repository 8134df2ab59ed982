using Runtime.Contracts.V1;

namespace Runtime.Client.Streams;

/// <summary>
/// Resume point of a <c>WatchRuntimeEvents</c> stream: the last global sequence delivered (from events, gaps and
/// heartbeats), and the caller's <c>max_events</c> / <c>max_duration</c> still to go.
/// </summary>
internal sealed class RuntimeEventsCursor(WatchRuntimeEventsRequest request, TimeProvider time)
    : IStreamCursor<WatchRuntimeEventsRequest, WatchRuntimeEventsResponse>
{
    private readonly StreamLimits _limits = new(request.MaxEvents, request.MaxDuration, time);
    private ulong? _position = request.HasAfterSequence ? request.AfterSequence : null;

    /// <summary>The sequence the next connection resumes after; null while nothing told us where the stream is.</summary>
    public ulong? Position => _position;

    /// <inheritdoc />
    public bool Exhausted => _limits.Exhausted;

    /// <inheritdoc />
    public WatchRuntimeEventsRequest NextRequest()
    {
        var next = request.Clone();
        if (_position is { } position)
        {
            next.AfterSequence = position;
        }

        next.MaxEvents = _limits.RemainingCount();
        next.MaxDuration = _limits.RemainingDuration();
        return next;
    }

    /// <inheritdoc />
    public void Delivered(WatchRuntimeEventsResponse message)
    {
        switch (message.MessageCase)
        {
            case WatchRuntimeEventsResponse.MessageOneofCase.Events when message.Events.Events.Count > 0:
                Advance(message.Events.Events[^1].Sequence);
                _limits.Count(message.Events.Events.Count);
                break;
            case WatchRuntimeEventsResponse.MessageOneofCase.Gap when message.Gap.ResumeAt > 0:
                // The caller has been told about the hole; resuming must not report it again.
                Advance(message.Gap.ResumeAt - 1);
                break;
            case WatchRuntimeEventsResponse.MessageOneofCase.Heartbeat:
                Advance(message.Heartbeat.Position);
                break;
        }
    }

    private void Advance(ulong sequence) => _position = _position is { } current ? Math.Max(current, sequence) : sequence;
}
