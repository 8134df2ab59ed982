using System.Threading.RateLimiting;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Time.Testing;
using Runtime.Contracts.V1;
using Runtime.Server.Security;
using Runtime.Server.Security.Limits;
using V1 = Grpc.Reflection.V1;

namespace Runtime.Server.Tests.Security;

public sealed class LimitsTests
{
    [Fact]
    public async Task One_byte_over_the_maximum_message_size_is_resource_exhausted_with_message_too_large()
    {
        await using var server = await SecuredServer.StartAsync(new Dictionary<string, string> { ["Runtime:MaxMessageBytes"] = "1024" });
        var health = new Health.HealthClient(server.Channel);
        var atLimit = new HealthCheckRequest { Service = new string('a', 1021) };
        var overLimit = new HealthCheckRequest { Service = new string('a', 1022) };
        Assert.Equal(1024, atLimit.CalculateSize());
        Assert.Equal(1025, overLimit.CalculateSize());

        var fits = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(atLimit).ResponseAsync);
        var unary = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(overLimit).ResponseAsync);
        var serverStream = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var watch = health.Watch(overLimit);
            await watch.ResponseStream.MoveNext(CancellationToken.None);
        });
        var duplexStream = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = new V1.ServerReflection.ServerReflectionClient(server.Channel).ServerReflectionInfo();
            await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { ListServices = new string('a', 2000) });
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });

        Assert.Equal(StatusCode.NotFound, fits.StatusCode);
        foreach (var error in new[] { unary, serverStream, duplexStream })
        {
            Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
            Assert.Equal("MESSAGE_TOO_LARGE", RawCalls.Info(error).Reason);
            Assert.Equal("1024", RawCalls.Info(error).Metadata["max_message_bytes"]);
        }
    }

    [Fact]
    public async Task One_stream_over_the_cap_is_refused_until_one_closes()
    {
        await using var server = await SecuredServer.StartAsync(new Dictionary<string, string> { ["Runtime:Security:MaxStreamsPerCaller"] = "2" });
        var health = new Health.HealthClient(server.Channel);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var first = health.Watch(new HealthCheckRequest(), cancellationToken: cts.Token);
        using var secondCts = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var second = health.Watch(new HealthCheckRequest(), cancellationToken: secondCts.Token);
        Assert.True(await first.ResponseStream.MoveNext(cts.Token));
        Assert.True(await second.ResponseStream.MoveNext(cts.Token));

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var third = health.Watch(new HealthCheckRequest(), cancellationToken: cts.Token);
            await third.ResponseStream.MoveNext(cts.Token);
        });
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("STREAM_LIMIT_REACHED", RawCalls.Info(refused).Reason);
        Assert.Equal("2", RawCalls.Info(refused).Metadata["max_streams"]);

        // Closing a stream frees its slot once the server has ended it (asynchronously): bounded wait for that.
        await secondCts.CancelAsync();
        second.Dispose();
        var reopened = false;
        for (var attempt = 0; attempt < 100 && !reopened; attempt++)
        {
            using var again = health.Watch(new HealthCheckRequest(), cancellationToken: cts.Token);
            try
            {
                reopened = await again.ResponseStream.MoveNext(cts.Token);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
                await Task.Yield();
            }
        }

        Assert.True(reopened);
    }

    [Fact]
    public async Task A_burst_over_the_ingest_rate_is_refused_per_caller_with_a_retry_hint()
    {
        await using var server = await SecuredServer.StartAsync(new Dictionary<string, string>
        {
            ["Runtime:Security:RequireAuthentication"] = "true",
            ["Runtime:Security:IngestRate:PermitsPerPeriod"] = "3",
            ["Runtime:Security:IngestRate:Period"] = "01:00:00",
        });
        var first = $"Bearer {server.Keys.Create("first", [Access.Ingest], null).Secret}";
        var second = $"Bearer {server.Keys.Create("second", [Access.Ingest], null).Secret}";
        var driver = new RuntimeDriverService.RuntimeDriverServiceClient(server.Channel);
        var request = new AcceptInputRequest { RuntimeId = "r1", Input = new Input { Kind = "k" } };

        var withinRate = new List<StatusCode>();
        for (var i = 0; i < 3; i++)
        {
            withinRate.Add(await Outcome(() => driver.AcceptInputAsync(request, SecuredServer.With(first)).ResponseAsync));
        }

        var overRate = await Assert.ThrowsAsync<RpcException>(() => driver.AcceptInputAsync(request, SecuredServer.With(first)).ResponseAsync);
        var otherCaller = await Outcome(() => driver.AcceptInputAsync(request, SecuredServer.With(second)).ResponseAsync);
        var readsAreNotCounted = await Outcome(() =>
            driver.GetRuntimeStateAsync(new GetRuntimeStateRequest { RuntimeId = "r1" }, SecuredServer.With(first)).ResponseAsync);

        Assert.DoesNotContain(StatusCode.ResourceExhausted, withinRate);
        Assert.Equal(StatusCode.ResourceExhausted, overRate.StatusCode);
        Assert.Equal("RATE_LIMITED", RawCalls.Info(overRate).Reason);
        Assert.True(long.Parse(RawCalls.Info(overRate).Metadata["retry_after_ms"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.NotEqual(StatusCode.ResourceExhausted, otherCaller);
        Assert.NotEqual(StatusCode.ResourceExhausted, readsAreNotCounted);
    }

    [Fact]
    public async Task A_batch_on_the_accept_stream_pays_one_token_per_input_it_carries()
    {
        await using var server = await SecuredServer.StartAsync(new Dictionary<string, string>
        {
            ["Runtime:Security:RequireAuthentication"] = "true",
            ["Runtime:Security:IngestRate:PermitsPerPeriod"] = "4",
            ["Runtime:Security:IngestRate:Period"] = "01:00:00",
        });
        var caller = SecuredServer.With($"Bearer {server.Keys.Create("producer", [Access.Ingest], null).Secret}");
        var driver = new RuntimeDriverService.RuntimeDriverServiceClient(server.Channel);
        var input = new Input { Kind = "k" };

        // One message carrying three inputs: answered, and three of the caller's four tokens spent.
        using (var stream = driver.AcceptInputStream(caller))
        {
            await stream.RequestStream.WriteAsync(new AcceptInputStreamRequest { RuntimeId = "r1", Inputs = { input, input, input } });
            Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(3, stream.ResponseStream.Current.Results.Count);
            await stream.RequestStream.CompleteAsync();
            Assert.False(await stream.ResponseStream.MoveNext(CancellationToken.None));
        }

        // The same bucket serves unary accepts: one token is left, so the second unary call is over the rate.
        var unary = new AcceptInputRequest { RuntimeId = "r1", Input = input };
        var lastToken = await Outcome(() => driver.AcceptInputAsync(unary, caller).ResponseAsync);
        var overRate = await Assert.ThrowsAsync<RpcException>(() => driver.AcceptInputAsync(unary, caller).ResponseAsync);

        Assert.NotEqual(StatusCode.ResourceExhausted, lastToken);
        Assert.Equal(StatusCode.ResourceExhausted, overRate.StatusCode);
        Assert.Equal("RATE_LIMITED", RawCalls.Info(overRate).Reason);
    }

    [Fact]
    public async Task An_ingest_stream_over_its_rate_is_paced_not_failed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var tokens = 2;
        var reader = new PacedStreamReader<int>(new ListReader([1, 2, 3]),
            _ => new TestLease(tokens-- > 0, TimeSpan.FromSeconds(1)), time, CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        Assert.True(await reader.MoveNext(cts.Token));
        Assert.True(await reader.MoveNext(cts.Token));
        var third = reader.MoveNext(cts.Token);
        Assert.False(third.IsCompleted);

        // Refused: it waits the limiter's retry-after on the server's clock, then tries again and gets a token.
        tokens = 1;
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await third.WaitAsync(cts.Token));
        Assert.Equal(3, reader.Current);
    }

    [Fact]
    public async Task A_paced_stream_ends_when_its_call_is_cancelled()
    {
        using var callCancelled = new CancellationTokenSource();
        var reader = new PacedStreamReader<int>(new ListReader([1]),
            _ => new TestLease(false, TimeSpan.FromHours(1)), new FakeTimeProvider(), callCancelled.Token);

        var next = reader.MoveNext(CancellationToken.None);
        await callCancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }

    private static async Task<StatusCode> Outcome(Func<Task> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private sealed class TestLease(bool acquired, TimeSpan retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }

    private sealed class ListReader(IReadOnlyList<int> items) : IAsyncStreamReader<int>
    {
        private int _index = -1;

        public int Current => items[_index];

        public Task<bool> MoveNext(CancellationToken cancellationToken) => Task.FromResult(++_index < items.Count);
    }
}
