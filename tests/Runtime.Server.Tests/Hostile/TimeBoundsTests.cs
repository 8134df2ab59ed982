using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.Server.Tests.Infrastructure;

namespace Runtime.Server.Tests.Hostile;

/// <summary>
/// Times at the edges of their range are answers, never INTERNAL: the longest protobuf duration is a bound far away,
/// a bound below one tick is the shortest bound (not none), and an invalid timestamp names its field.
/// </summary>
public sealed class TimeBoundsTests(LoopbackServer server) : IClassFixture<LoopbackServer>
{
    private static readonly Duration Longest = new() { Seconds = Duration.MaxSeconds };

    private static readonly Duration BelowOneTick = new() { Nanos = 50 };

    private RuntimeControlPlaneService.RuntimeControlPlaneServiceClient Control => new(server.Channel);

    private ObservationService.ObservationServiceClient Observation => new(server.Channel);

    [Fact]
    public async Task The_longest_duration_bounds_a_watch_and_a_subscription_like_any_other()
    {
        await Control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "far-bound" });

        using var watch = Control.WatchRuntimeEvents(new WatchRuntimeEventsRequest
        {
            RuntimeIds = { "far-bound" },
            AfterSequence = 0,
            MaxEvents = 1,
            MaxDuration = Longest,
        }, deadline: DateTime.UtcNow.AddSeconds(20));
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
        Assert.NotNull(watch.ResponseStream.Current.Events);

        using var subscription = Observation.Subscribe(new SubscribeRequest
        {
            Observers = { "runtimes" },
            IncludeSnapshot = true,
            MaxMessages = 1,
            MaxDuration = Longest,
        }, deadline: DateTime.UtcNow.AddSeconds(20));
        Assert.True(await subscription.ResponseStream.MoveNext(CancellationToken.None));
    }

    [Fact]
    public async Task A_bound_below_one_tick_ends_the_streams_at_once()
    {
        using var watch = Control.WatchRuntimeEvents(new WatchRuntimeEventsRequest { MaxDuration = BelowOneTick },
            deadline: DateTime.UtcNow.AddSeconds(20));
        await DrainAsync(watch.ResponseStream);
        Assert.Equal(StatusCode.OK, watch.GetStatus().StatusCode);

        using var subscription = Observation.Subscribe(new SubscribeRequest { Observers = { "runtimes" }, MaxDuration = BelowOneTick },
            deadline: DateTime.UtcNow.AddSeconds(20));
        await DrainAsync(subscription.ResponseStream);
        Assert.Equal(StatusCode.OK, subscription.GetStatus().StatusCode);
    }

    [Theory]
    [InlineData(0, 1_000_000_000)]
    [InlineData(long.MaxValue, 0)]
    [InlineData(long.MinValue, 0)]
    [InlineData(0, -1)]
    public async Task An_expire_time_out_of_range_names_the_field(long seconds, int nanos)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => new AccessService.AccessServiceClient(server.Channel)
            .CreateApiKeyAsync(new CreateApiKeyRequest
            {
                Name = "edge",
                Scopes = { Scope.Admin },
                ExpireTime = new Timestamp { Seconds = seconds, Nanos = nanos },
            }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations, v => v.Field == "expire_time");
    }

    private static async Task DrainAsync<T>(IAsyncStreamReader<T> responses)
    {
        // Bounded by the call's deadline: a stream that ignored its bound would end DEADLINE_EXCEEDED, not OK.
        while (await responses.MoveNext(CancellationToken.None))
        {
        }
    }
}
