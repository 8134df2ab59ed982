using System.Threading.RateLimiting;
using Grpc.Core;

namespace Runtime.Server.Security.Limits;

/// <summary>
/// A request stream that takes a message's tokens (one per input it carries) before handing it on, waiting for the next token when the
/// bucket is empty: an ingest stream over its rate is slowed down (HTTP/2 flow control pushes back on the client),
/// not failed.
/// </summary>
public sealed class PacedStreamReader<T>(
    IAsyncStreamReader<T> inner, Func<T, RateLimitLease> acquire, TimeProvider time, CancellationToken callCancelled)
    : IAsyncStreamReader<T>
{
    // When the limiter gives no hint, retry this often.
    private static readonly TimeSpan FallbackWait = TimeSpan.FromMilliseconds(50);

    /// <inheritdoc />
    public T Current => inner.Current;

    /// <inheritdoc />
    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        if (!await inner.MoveNext(cancellationToken))
        {
            return false;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, callCancelled);
        while (true)
        {
            using var lease = acquire(inner.Current);
            if (lease.IsAcquired)
            {
                return true;
            }

            var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero
                ? retryAfter
                : FallbackWait;
            await Task.Delay(wait, time, linked.Token);
        }
    }
}
