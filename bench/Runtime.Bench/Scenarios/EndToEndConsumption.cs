using System.Collections.Concurrent;
using Runtime.Core.Events;
using Runtime.Core.Inputs;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// The server's event publisher in the end-to-end benchmark: counts CONSUMED transitions per runtime and wakes the
/// caller waiting for its runtime to reach a count (each caller owns one runtime and sends batch after batch).
/// </summary>
internal sealed class EndToEndConsumption : IRuntimeEventPublisher
{
    private readonly ConcurrentDictionary<string, Counter> _runtimes = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public bool IsEnabled(EventCategory category) => category == EventCategory.InputLifecycle;

    /// <inheritdoc />
    public long Publish(RuntimeEvent runtimeEvent)
    {
        if (runtimeEvent is { Kind: RuntimeEventKind.InputTransitioned, ToPhase: InputPhase.Consumed } &&
            _runtimes.TryGetValue(runtimeEvent.RuntimeId, out var counter))
        {
            counter.Consumed();
        }

        return 0;
    }

    /// <summary>Starts counting a runtime's consumed inputs.</summary>
    public void Track(string runtimeId) => _runtimes[runtimeId] = new Counter();

    /// <summary>Completes once <paramref name="runtimeId"/> has <paramref name="total"/> consumed inputs.</summary>
    public Task WaitForAsync(string runtimeId, long total) => _runtimes[runtimeId].WaitFor(total);

    private sealed class Counter
    {
        private readonly Lock _lock = new();
        private long _consumed;
        private long _target = long.MaxValue;
        private TaskCompletionSource? _waiter;

        public void Consumed()
        {
            TaskCompletionSource? done = null;
            lock (_lock)
            {
                if (++_consumed >= _target)
                {
                    (done, _waiter, _target) = (_waiter, null, long.MaxValue);
                }
            }

            done?.TrySetResult();
        }

        public Task WaitFor(long total)
        {
            lock (_lock)
            {
                if (_consumed >= total)
                {
                    return Task.CompletedTask;
                }

                _waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _target = total;
                return _waiter.Task;
            }
        }
    }
}
