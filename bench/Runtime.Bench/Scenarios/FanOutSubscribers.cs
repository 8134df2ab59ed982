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

    private readonly Method<WatchRuntimeEventsRequest, WatchRuntimeEventsResponse> _watch;

    private FanOutSubscribers(string address, int count)
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
        _loops = _subscribers.Select((s, i) => ReadAsync(s, Call(i, new WatchRuntimeEventsRequest()))).ToArray();
    }

    /// <summary>Opens <paramref name="count"/> subscribers of WatchRuntimeEvents.</summary>
    public static FanOutSubscribers Open(string address, int count) => new(address, count);

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
    /// Opens one more subscriber on the first connection (shared with others) that resumes after
    /// <paramref name="afterSequence"/> and reads nothing until drained: with a backlog far larger than its HTTP/2
    /// stream window and the server's response buffer, the server's writes to it are held back from the start.
    /// </summary>
    public StalledSubscriber OpenStalled(long afterSequence) =>
        new(Call(0, new WatchRuntimeEventsRequest { AfterSequence = (ulong)afterSequence }), _stop.Token);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        _stop.Dispose();
    }

    private AsyncServerStreamingCall<WatchRuntimeEventsResponse> Call(int index, WatchRuntimeEventsRequest request) =>
        _channels[index / StreamsPerConnection].CreateCallInvoker()
            .AsyncServerStreamingCall(_watch, null, new CallOptions(cancellationToken: _stop.Token), request);

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

/// <summary>A subscriber that reads nothing until drained.</summary>
public sealed class StalledSubscriber(AsyncServerStreamingCall<WatchRuntimeEventsResponse> call, CancellationToken stop) : IDisposable
{
    /// <summary>
    /// Reads until the stream has caught up with <paramref name="lastSequence"/> or <paramref name="timeout"/> passes:
    /// the first sequence it then received, the events and bytes it had been held back, and the gaps (resyncs).
    /// </summary>
    public async Task<(long First, long Events, long Bytes, long Gaps)> DrainAsync(long lastSequence, TimeSpan timeout)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stop);
        bounded.CancelAfter(timeout);
        var (first, events, bytes, gaps) = (-1L, 0L, 0L, 0L);
        try
        {
            await foreach (var message in call.ResponseStream.ReadAllAsync(bounded.Token))
            {
                bytes += message.CalculateSize();
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
                    first = first < 0 ? (long)message.Events.Events[0].Sequence : first;
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

        return (first, events, bytes, gaps);
    }

    /// <inheritdoc />
    public void Dispose() => call.Dispose();
}
