using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Runtime.Contracts.V1;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// The baseline: WatchRuntimeEvents with the same message shapes that does no work. Saturated, every stream writes
/// one prepared response as fast as the transport takes it; paced, every stream writes each batch the shared ticker
/// makes (stamped with the tick's time, so receivers can measure lag the same way).
/// </summary>
public sealed class FanOutBareService(FanOutBareFeed feed) : RuntimeControlPlaneService.RuntimeControlPlaneServiceBase
{
    /// <inheritdoc />
    public override async Task WatchRuntimeEvents(
        WatchRuntimeEventsRequest request, IServerStreamWriter<WatchRuntimeEventsResponse> responseStream, ServerCallContext context)
    {
        feed.Attached();
        try
        {
            var writes = 0;
            while (!context.CancellationToken.IsCancellationRequested)
            {
                var next = feed.Paced ? await feed.NextTickAsync(context.CancellationToken) : feed.Prepared;
                await responseStream.WriteAsync(next, context.CancellationToken);
                if (++writes % 8 == 0)
                {
                    await Task.Yield();
                }
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The subscriber went away.
        }
        finally
        {
            feed.Detached();
        }
    }
}

/// <summary>What the bare streams write: one prepared response, or batches a ticker makes at a set event rate.</summary>
public sealed class FanOutBareFeed : IAsyncDisposable
{
    private CancellationTokenSource _stop = new();
    private TaskCompletionSource<WatchRuntimeEventsResponse> _tick = NewTick();
    private Task? _ticker;
    private int _streams;

    /// <summary>The response saturated streams repeat.</summary>
    public WatchRuntimeEventsResponse Prepared { get; private set; } = Batch(1, DateTimeOffset.UtcNow);

    /// <summary>True while a ticker paces the streams.</summary>
    public bool Paced => _ticker is not null;

    /// <summary>Streams open now.</summary>
    public int Streams => Volatile.Read(ref _streams);

    /// <summary>A response of <paramref name="events"/> events shaped like the server's input transitions.</summary>
    public static WatchRuntimeEventsResponse Batch(int events, DateTimeOffset time)
    {
        var batch = new RuntimeEventBatch();
        var stamp = Timestamp.FromDateTimeOffset(time);
        for (var i = 0; i < events; i++)
        {
            batch.Events.Add(new RuntimeEvent
            {
                Sequence = (ulong)(1_000_000 + i),
                Time = stamp,
                Kind = RuntimeEventKind.InputTransitioned,
                RuntimeId = "fanout-3",
                InputId = "019a0000-0000-7000-8000-0000000000" + (i % 100).ToString("D2", System.Globalization.CultureInfo.InvariantCulture),
                RunId = "019a0000-0000-7000-8000-00000000ff00",
                Destination = "inproc:accept",
                InputKind = "bench",
                FromPhase = InputPhase.Queued,
                ToPhase = InputPhase.Staged,
                PayloadType = PayloadType.RpcReliable,
                Bytes = 64,
                Attempt = 1,
            });
        }

        return new WatchRuntimeEventsResponse { Events = batch };
    }

    /// <summary>Saturated mode: every stream repeats a response of <paramref name="eventsPerMessage"/> events.</summary>
    public async Task SaturateAsync(int eventsPerMessage)
    {
        await StopTickerAsync();
        Prepared = Batch(eventsPerMessage, DateTimeOffset.UtcNow);
    }

    /// <summary>Paced mode: every <paramref name="period"/> one batch of <paramref name="eventsPerTick"/> fresh events.</summary>
    public async Task PaceAsync(int eventsPerTick, TimeSpan period)
    {
        await StopTickerAsync();
        var stop = _stop.Token;
        _ticker = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(period);
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                Interlocked.Exchange(ref _tick, NewTick()).TrySetResult(Batch(eventsPerTick, DateTimeOffset.UtcNow));
            }
        });
    }

    /// <summary>The next tick's batch.</summary>
    public Task<WatchRuntimeEventsResponse> NextTickAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _tick).Task.WaitAsync(cancellationToken);

    internal void Attached() => Interlocked.Increment(ref _streams);

    internal void Detached() => Interlocked.Decrement(ref _streams);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopTickerAsync();
        _stop.Dispose();
    }

    private static TaskCompletionSource<WatchRuntimeEventsResponse> NewTick() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task StopTickerAsync()
    {
        if (_ticker is null)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _ticker;
        }
        catch (OperationCanceledException)
        {
        }

        _ticker = null;
        _stop.Dispose();
        _stop = new CancellationTokenSource();
    }
}
