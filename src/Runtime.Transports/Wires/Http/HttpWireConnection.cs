using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Runtime.Core.Delivery;
using Runtime.Core.Policies;
using Runtime.Core.Timing;
using Runtime.Transports.Destinations;

namespace Runtime.Transports.Wires.Http;

/// <summary>
/// An <c>http</c> wire: one POST per delivery, body one protobuf <c>DeliverRequest</c>
/// (<c>application/x-protobuf</c>). 2xx is an ack; 429 and 5xx ask for a retry (honouring <c>Retry-After</c>);
/// any other status is a permanent failure. A <c>Retry-After</c> holds every delivery on this wire until it has
/// passed (they fail fast as retryable, with the time left), so a struggling endpoint is not hammered by other
/// runtimes meanwhile. Connections are pooled by the handler, so "connected" means the endpoint answered an HTTP
/// request (any status) during the dial.
/// </summary>
internal sealed class HttpWireConnection : IWireConnection
{
    /// <summary>The media type of request bodies.</summary>
    public const string ContentType = "application/x-protobuf";

    private readonly HttpClient _client;
    private readonly Uri _address;
    private readonly TimeProvider _time;
    // Never completes: there is no long-lived connection to break; a failed POST reports itself as lost instead.
    private readonly TaskCompletionSource<string> _broken = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextDeliveryId;
    private long _notBeforeTicks;
    private int _inFlight;

    private HttpWireConnection(HttpClient client, Uri address, TimeProvider time)
    {
        _client = client;
        _address = address;
        _time = time;
    }

    /// <inheritdoc />
    public Task<string> Broken => _broken.Task;

    /// <inheritdoc />
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Creates the pooled client and checks the endpoint answers (a HEAD request; any status will do).</summary>
    public static async Task<IWireConnection> ConnectAsync(
        WireDefinition wire, TransportOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            AllowAutoRedirect = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        })
        {
            // The transport manager applies its own delivery timeout.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        try
        {
            var address = new Uri(wire.Address);
            using var probe = new HttpRequestMessage(HttpMethod.Head, address);
            using var answer = await client.SendAsync(probe, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return new HttpWireConnection(client, address, time);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<WireOutcome> SendAsync(RunDelivery run, CancellationToken cancellationToken)
    {
        var wait = new DateTimeOffset(Interlocked.Read(ref _notBeforeTicks), TimeSpan.Zero) - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            return WireOutcome.Answered(new DeliveryResult(
                DeliveryStatus.RetryableFailure, "held back: the destination asked to retry later (Retry-After)", wait));
        }

        var request = DeliveryMessages.ToRequest(run, (ulong)Interlocked.Increment(ref _nextDeliveryId));
        using var content = new ByteArrayContent(request.ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        Interlocked.Increment(ref _inFlight);
        try
        {
            using var response = await _client.PostAsync(_address, content, cancellationToken);
            return WireOutcome.Answered(ToResult(response));
        }
        catch (HttpRequestException ex)
        {
            return WireOutcome.Lost(WireErrors.Describe("POST failed", ex));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private DeliveryResult ToResult(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return DeliveryResult.Acked;
        }

        var error = $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
        if (response.StatusCode != HttpStatusCode.TooManyRequests && status < 500)
        {
            return new DeliveryResult(DeliveryStatus.PermanentFailure, error);
        }

        var retryAfter = RetryAfter(response.Headers.RetryAfter);
        if (retryAfter > TimeSpan.Zero)
        {
            var notBefore = (_time.GetUtcNow() + retryAfter.Value).UtcTicks;
            InterlockedMax(ref _notBeforeTicks, notBefore);
        }

        return new DeliveryResult(DeliveryStatus.RetryableFailure, error, retryAfter);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    // Held to RetryBackoff.MaxRetryAfter: a destination cannot hold this wire (or a runtime) for months.
    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        var wait = header?.Delta ?? (header?.Date is { } date ? date - _time.GetUtcNow() : null);
        return wait is { } w
            ? SaturatingTime.Max(TimeSpan.Zero, SaturatingTime.Min(w, RetryBackoff.MaxRetryAfter))
            : null;
    }
}
