using Grpc.Core;
using Runtime.Analytics.Filters;
using Runtime.Contracts.V1;
using Runtime.Core.Errors;
using Runtime.Core.Hosting;
using Runtime.Observation.Events;
using Runtime.Observation.Filtering;
using Runtime.Server.Hosting;
using Runtime.Server.Mapping;

namespace Runtime.Server.Services;

/// <summary>
/// WatchRuntimeEvents: the event stream's watch (resume after a sequence, explicit gaps, heartbeats, bounds) written
/// to one gRPC stream, one pending write at a time. Each event is serialised once and shared by all watchers
/// (<see cref="RuntimeEventEncoding"/>).
/// </summary>
public sealed class RuntimeEventWatch(EventStream events, ShutdownSignal shutdown, Paging.PageBudget budget)
{
    // The last composed run of consecutive events: watchers woken together at the same position send the same
    // events, so all but the first reuse its bytes.
    private SharedBatch? _lastBatch;

    /// <summary>Serves one call until its bounds are met, the client leaves, or the server stops.</summary>
    public Task RunAsync(WatchRuntimeEventsRequest request, IServerStreamWriter<EncodedMessage> responses, ServerCallContext context)
    {
        var watch = ToWatchRequest(request);
        return shutdown.RunStreamAsync(context, async token =>
        {
            var writes = 0;
            await foreach (var item in events.Watch(watch, token))
            {
                foreach (var response in ToResponses(item))
                {
                    // The call's own token, not the shutdown-linked one (see ShutdownSignal.RunStreamAsync).
                    await responses.WriteAsync(response, context.CancellationToken);
                    if (++writes % 16 == 0)
                    {
                        // Many watchers on two cores: let the others write too.
                        await Task.Yield();
                    }
                }
            }
        });
    }

    private static EventWatchRequest ToWatchRequest(WatchRuntimeEventsRequest request)
    {
        var v = new Validator();
        for (var i = 0; i < request.RuntimeIds.Count; i++)
        {
            v.Require(RequestValidation.IsValidId(request.RuntimeIds[i]), $"runtime_ids[{i}]", "must be 1-128 characters of [A-Za-z0-9._:-]");
        }

        v.ThrowIfInvalid();
        var filter = new EventFilter
        {
            RuntimeIds = [.. request.RuntimeIds],
            Kinds = [.. request.Kinds.Select((k, i) => k.ToDomain($"kinds[{i}]"))],
            Filter = FilterExpression.Parse(request.Filter),
        };
        return new EventWatchRequest
        {
            AfterSequence = request.HasAfterSequence ? (long)Math.Min(request.AfterSequence, long.MaxValue) : null,
            Filter = filter.ToPredicate(),
            MaxEvents = request.MaxEvents,
            MaxDuration = request.MaxDuration.ToDomain("max_duration") ?? TimeSpan.Zero,
        };
    }

    private IReadOnlyList<EncodedMessage> ToResponses(EventStreamItem item) => item switch
    {
        EventBatch batch => Compose(batch.Events),
        EventGap gap => [RuntimeEventEncoding.Single(new WatchRuntimeEventsResponse { Gap = gap.ToProto() })],
        EventHeartbeat beat => [RuntimeEventEncoding.Single(new WatchRuntimeEventsResponse
        {
            Heartbeat = new Heartbeat { Time = beat.Time.ToProto(), Position = (ulong)Math.Max(0, beat.Sequence) },
        })],
        _ => throw new InvalidOperationException($"unexpected watch item {item.GetType().Name}"),
    };

    /// <summary>
    /// The responses for <paramref name="batch"/>: one, unless its events together exceed the message limit, then
    /// as many as it takes. A batch of consecutive sequences holds exactly those events whoever reads it, so its
    /// bytes are shared; a batch with holes (filtered) is composed for its watcher alone.
    /// </summary>
    private IReadOnlyList<EncodedMessage> Compose(IReadOnlyList<StreamedEvent> batch)
    {
        var (first, last) = (batch[0].Sequence, batch[^1].Sequence);
        if (last - first + 1 != batch.Count)
        {
            return RuntimeEventEncoding.Batches(batch, budget.MaxBytes);
        }

        if (Volatile.Read(ref _lastBatch) is { } shared && shared.First == first && shared.Last == last)
        {
            return shared.Messages;
        }

        var messages = RuntimeEventEncoding.Batches(batch, budget.MaxBytes);
        Volatile.Write(ref _lastBatch, new SharedBatch(first, last, messages));
        return messages;
    }

    private sealed record SharedBatch(long First, long Last, IReadOnlyList<EncodedMessage> Messages);
}
