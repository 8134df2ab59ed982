using System.Threading.RateLimiting;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Runtime.Server.Security.Limits;

/// <summary>
/// The per-caller limiters (keyed by <see cref="CallerIdentity.LimitKey"/>): a token bucket over inputs submitted and
/// a concurrency limit over open streams. <see cref="ForRequests"/> is ASP.NET Core's global rate limiter; the
/// ingest bucket is also drawn from per message of ingest streams (<see cref="LimitsInterceptor"/>).
/// </summary>
public sealed class CallerLimiters : IDisposable
{
    // Requests that a limiter does not apply to share this key, whose partition never limits.
    private const string Unlimited = "";

    /// <summary>Builds the limiters from the options.</summary>
    public CallerLimiters(IOptions<SecurityOptions> options)
    {
        var security = options.Value;
        var rate = security.IngestRate;
        Ingest = PartitionedRateLimiter.Create<string, string>(caller => caller == Unlimited || !rate.Enabled
            ? RateLimitPartition.GetNoLimiter(Unlimited)
            : RateLimitPartition.GetTokenBucketLimiter(caller, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = rate.EffectiveBurst,
                TokensPerPeriod = rate.PermitsPerPeriod,
                ReplenishmentPeriod = rate.Period,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        MaxIngestPermits = Math.Max(1, rate.EffectiveBurst);
        MaxStreams = security.MaxStreamsPerCaller;
        Streams = PartitionedRateLimiter.Create<string, string>(caller => caller == Unlimited
            ? RateLimitPartition.GetNoLimiter(Unlimited)
            : RateLimitPartition.GetConcurrencyLimiter(caller, _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = MaxStreams,
                QueueLimit = 0,
            }));
        ForRequests = PartitionedRateLimiter.CreateChained(
            Ingest.WithTranslatedKey<HttpContext>(c => IsUnaryIngest(c) ? CallerIdentity.LimitKey(c) : Unlimited, leaveOpen: true),
            Streams.WithTranslatedKey<HttpContext>(c => IsStream(c) ? CallerIdentity.LimitKey(c) : Unlimited, leaveOpen: true));
    }

    /// <summary>Most tokens one acquisition may ask for (the bucket size): a larger batch pays a full bucket.</summary>
    public int MaxIngestPermits { get; }

    /// <summary>One token per input submitted, per caller.</summary>
    public PartitionedRateLimiter<string> Ingest { get; }

    /// <summary>One permit per open stream, per caller, held for the stream's lifetime.</summary>
    public PartitionedRateLimiter<string> Streams { get; }

    /// <summary>The most streams one caller may hold open.</summary>
    public int MaxStreams { get; }

    /// <summary>The global limiter of ASP.NET Core's rate limiting middleware: unary ingest calls and stream opens.</summary>
    public PartitionedRateLimiter<HttpContext> ForRequests { get; }

    /// <summary>Whether the request is a streaming gRPC call (it counts against the open-stream cap).</summary>
    public static bool IsStream(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc && grpc.Method.Type != MethodType.Unary;

    /// <summary>Whether the request is a unary call that submits one input.</summary>
    public static bool IsUnaryIngest(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc
        && grpc.Method.Type == MethodType.Unary
        && MethodAccessTable.RateLimitedIngest.Contains(grpc.Method.FullName.TrimStart('/'));

    /// <inheritdoc />
    public void Dispose()
    {
        ForRequests.Dispose();
        Ingest.Dispose();
        Streams.Dispose();
    }
}
