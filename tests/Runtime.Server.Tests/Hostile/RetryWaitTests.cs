using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Runtime.Contracts.V1;
using Runtime.Server.Tests.Infrastructure;

namespace Runtime.Server.Tests.Hostile;

/// <summary>
/// Retry waits cannot freeze a runtime: a policy's waits are bounded at CreateRuntime (the field named), and a
/// destination asking to retry in two months gets at most the Retry-After cap, with the runtime usable meanwhile.
/// </summary>
public sealed class RetryWaitTests(LoopbackServer server) : IClassFixture<LoopbackServer>
{
    private RuntimeControlPlaneService.RuntimeControlPlaneServiceClient Control => new(server.Channel);

    [Theory]
    [InlineData("initial", 4_320_000, 0, 0, "policy.retry_backoff.initial")]
    [InlineData("max", 1, 315_576_000_000, 0, "policy.retry_backoff.max")]
    [InlineData("multiplier", 1, 10, 1e308, "policy.retry_backoff.multiplier")]
    public async Task A_policy_whose_waits_are_beyond_the_limit_is_refused_naming_the_field(
        string name, long initialSeconds, long maxSeconds, double multiplier, string field)
    {
        var backoff = new Contracts.V1.RetryBackoff { Initial = new Duration { Seconds = initialSeconds }, Multiplier = multiplier };
        if (maxSeconds > 0)
        {
            backoff.Max = new Duration { Seconds = maxSeconds };
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => Control.CreateRuntimeAsync(new CreateRuntimeRequest
        {
            RuntimeId = $"long-wait-{name}",
            Policy = new RuntimePolicy { RetryBackoff = backoff },
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var status = error.GetRpcStatus()!;
        Assert.Equal("runtime", Assert.Single(status.Details, d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>().Domain);
        Assert.Contains(status.GetDetail<BadRequest>().FieldViolations, v => v.Field == field);
        await Assert.ThrowsAsync<RpcException>(() => Control.GetRuntimeAsync(new GetRuntimeRequest { RuntimeId = $"long-wait-{name}" }).ResponseAsync);
    }

    [Fact]
    public async Task A_destination_asking_to_retry_in_two_months_waits_the_cap_and_the_runtime_stays_usable()
    {
        await using var busy = await BusyDestination.StartAsync(retryAfterSeconds: 5_184_000);
        var transports = new TransportService.TransportServiceClient(server.Channel);
        await transports.CreateDestinationAsync(new CreateDestinationRequest
        {
            Name = "busy",
            Wires = { new Wire { Kind = WireKind.Http, Address = busy.Address } },
        });
        await Control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "busy-rt", Destination = "busy" });
        var driver = new RuntimeDriverService.RuntimeDriverServiceClient(server.Channel);
        var before = DateTimeOffset.UtcNow;

        var accepted = await driver.AcceptInputAsync(new AcceptInputRequest
        {
            RuntimeId = "busy-rt",
            Input = new Input { Kind = "k", Payload = ByteString.CopyFromUtf8("x") },
        });

        // Polled, bounded: the first attempt is refused and the input comes back to the queue.
        InputState state;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            state = (await driver.GetInputStateAsync(new GetInputStateRequest { RuntimeId = "busy-rt", InputId = accepted.InputId })).State;
            if ((state.AttemptCount >= 1 && state.Phase == InputPhase.Queued) || state.Phase == InputPhase.Abandoned || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(20);
        }

        Assert.True(state.Phase == InputPhase.Queued, $"{state.Phase} after {state.AttemptCount} attempts: {state.LastError}");

        var nextAttempt = state.NextAttemptTime.ToDateTimeOffset();
        Assert.InRange(nextAttempt, before, DateTimeOffset.UtcNow + TimeSpan.FromHours(1));
        Assert.True(nextAttempt > before + TimeSpan.FromMinutes(59), $"next attempt {nextAttempt:O}");
        var runtimeState = await driver.GetRuntimeStateAsync(new GetRuntimeStateRequest { RuntimeId = "busy-rt" });
        Assert.Equal("", runtimeState.CurrentRunId);
        var reset = await Control.ResetRuntimeAsync(new ResetRuntimeRequest { RuntimeId = "busy-rt" });
        Assert.Equal(1UL, reset.Report.InputsAbandoned);
        Assert.Equal(1, busy.Posts);
    }

    /// <summary>An HTTP destination on loopback that answers every delivery 503 with a Retry-After.</summary>
    private sealed class BusyDestination : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _posts;

        private BusyDestination(WebApplication app) => _app = app;

        public string Address => $"{_app.Urls.First()}/deliver";

        public int Posts => Volatile.Read(ref _posts);

        public static async Task<BusyDestination> StartAsync(long retryAfterSeconds)
        {
            // The test folder holds the server's appsettings.json (HTTP/2 only): this destination speaks HTTP/1.1.
            var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0", "--Kestrel:EndpointDefaults:Protocols=Http1"]);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            var app = builder.Build();
            var destination = new BusyDestination(app);
            app.Run(context =>
            {
                if (HttpMethods.IsPost(context.Request.Method))
                {
                    Interlocked.Increment(ref destination._posts);
                    context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                }

                return Task.CompletedTask;
            });
            await app.StartAsync();
            return destination;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
