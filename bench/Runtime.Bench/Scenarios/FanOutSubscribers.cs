using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using HdrHistogram;
using Runtime.Contracts.V1;

namespace Runtime.Bench.Scenarios;

/// <summary>
/// N WatchRuntimeEvents subscribers spread over several HTTP/2 connections (Kestrel allows 100 streams on one). Each
/// counts the events it receives and records every event's lag: receive time minus the event's own time.
/// </summary>
public sealed class FanOutSubscribers : IAsyncDisposable
{
    private const int StreamsPerConnection = 90;

    private readonly GrpcChannel[] _channels;
    private readonly Subscriber[] _subscribers;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;
    private readonly AsyncServerStreamingCall<WatchRuntimeEventsResponse>? _stalled;

    private readonly Method<WatchRuntimeEventsRequest, WatchRuntimeEventsResponse> _watch;

    private FanOutSubscribers(string address, int count, bool withStalled)
    {
        _watch = new Method<WatchRuntimeEventsRequest, WatchRuntimeEventsResponse>(
            MethodType.ServerStreaming,
            RuntimeControlPlaneService.Descriptor.FullName,
            "WatchRuntimeEvents",
            Marshallers.Create(r => r.ToByteArray(), WatchRuntimeEventsRequest.Parser.ParseFrom),
            Marshallers.Create(r => r.ToByteArray(), WatchRuntimeEventsResponse.Parser.ParseFrom));
        _channels = Enumerable.Range(0, (count + StreamsPerConnection) / StreamsPerConnection)
            .Select(_ => GrpcChannel.ForAddress(address, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
                MaxReceiveMessageSize = 16 * 1024 * 1024,
            }))
            .ToArray();
        _subscribers = Enumerable.Range(0, count).Select(_ => new Subscriber()).ToArray();
        _loops = _subscribers.Select((s, i) => ReadAsync(s, Call(i))).ToArray();

        // Opened on the first connection, never read: its stream window fills and the server's writes to it stall.
        _stalled = withStalled ? Call(0) : null;
    }

    /// <summary>Opens <paramref name="count"/> subscribers (plus one that never reads, when asked) of WatchRuntimeEvents.</summary>
    public static FanOutSubscribers Open(string address, int count, bool withStalled = false) =>
        new(address, count, withStalled);

    /// <summary>Events received so far, over all subscribers.</summary>
    public long Events => _subscribers.Sum(s => Volatile.Read(ref s.Events));

    /// <summary>Event messages received so far, over all subscribers.</summary>
    public long Messages => _subscribers.Sum(s => Volatile.Read(ref s.Messages));

    /// <summary>Gap messages received so far (events the server could not deliver in time).</summary>
    public long Gaps => _subscribers.Sum(s => Volatile.Read(ref s.Gaps));

    /// <summary>Starts a measurement window: lag recorded from now on.</summary>
    public void ResetLag()
    {
        foreach (var subscriber in _subscribers)
        {
            lock (subscriber.Lock)
            {
                subscriber.Lag.Reset();
            }
        }
    }

    /// <summary>Lag over all subscribers since the last reset, in microseconds.</summary>
    public LongHistogram Lag()
    {
        var total = new LongHistogram(TimeSpan.FromMinutes(2).Ticks / 10, 3);
        foreach (var subscriber in _subscribers)
        {
            lock (subscriber.Lock)
            {
                total.Add(subscriber.Lag);
            }
        }

        return total;
    }

    /// <summary>
    /// Starts reading the stalled subscriber and reads until it has caught up with <paramref name="lastSequence"/> or
    /// <paramref name="timeout"/> passes: the events it had been held back and the gaps (resyncs) the server reported.
    /// </summary>
    public async Task<(long Events, long Gaps)> DrainStalledAsync(long lastSequence, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(_stalled);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        bounded.CancelAfter(timeout);
        var (events, gaps) = (0L, 0L);
        try
        {
            await foreach (var message in _stalled.ResponseStream.ReadAllAsync(bounded.Token))
            {
                if (message.MessageCase == WatchRuntimeEventsResponse.MessageOneofCase.Gap)
                {
                    gaps++;
                    if (message.Gap.ResumeAt > (ulong)lastSequence)
                    {
                        break;
                    }
                }
                else if (message.MessageCase == WatchRuntimeEventsResponse.MessageOneofCase.Events)
                {
                    events += message.Events.Events.Count;
                    if (message.Events.Events[^1].Sequence >= (ulong)lastSequence)
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested)
        {
            // Not caught up within the timeout: report what arrived.
        }

        return (events, gaps);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _stalled?.Dispose();
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        _stop.Dispose();
    }

    private AsyncServerStreamingCall<WatchRuntimeEventsResponse> Call(int index) =>
        _channels[index / StreamsPerConnection].CreateCallInvoker()
            .AsyncServerStreamingCall(_watch, null, new CallOptions(cancellationToken: _stop.Token), new WatchRuntimeEventsRequest());

    private async Task ReadAsync(Subscriber subscriber, AsyncServerStreamingCall<WatchRuntimeEventsResponse> started)
    {
        await Task.Yield();
        try
        {
            using var call = started;
            await foreach (var message in call.ResponseStream.ReadAllAsync(_stop.Token))
            {
                if (message.MessageCase == WatchRuntimeEventsResponse.MessageOneofCase.Gap)
                {
                    Interlocked.Increment(ref subscriber.Gaps);
                    continue;
                }

                if (message.MessageCase != WatchRuntimeEventsResponse.MessageOneofCase.Events)
                {
                    continue;
                }

                var nowTicks = DateTime.UtcNow.Ticks;
                lock (subscriber.Lock)
                {
                    foreach (var e in message.Events.Events)
                    {
                        var eventTicks = (e.Time.Seconds * TimeSpan.TicksPerSecond) + (e.Time.Nanos / 100) + DateTime.UnixEpoch.Ticks;
                        subscriber.Lag.RecordValue(Math.Clamp((nowTicks - eventTicks) / 10, 0, TimeSpan.FromMinutes(2).Ticks / 10));
                    }
                }

                Interlocked.Add(ref subscriber.Events, message.Events.Events.Count);
                Interlocked.Increment(ref subscriber.Messages);
            }
        }
        catch (Exception e) when (_stop.IsCancellationRequested && e is OperationCanceledException or RpcException)
        {
            // Stopped (a cancelled call may surface as an aborted request).
        }
    }

    private sealed class Subscriber
    {
        public readonly Lock Lock = new();
        public readonly LongHistogram Lag = new(TimeSpan.FromMinutes(2).Ticks / 10, 3);
        public long Events;
        public long Messages;
        public long Gaps;
    }
}
