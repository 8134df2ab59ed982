using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Runtime.Contracts.V1;
using Runtime.IntegrationTests.Infrastructure;

namespace Runtime.IntegrationTests.Faults;

/// <summary>The server's services over one channel, with the few steps every fault scenario repeats.</summary>
public sealed class RuntimeApi(GrpcChannel channel)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Data plane.</summary>
    public RuntimeDriverService.RuntimeDriverServiceClient Driver { get; } = new(channel);

    /// <summary>Control plane.</summary>
    public RuntimeControlPlaneService.RuntimeControlPlaneServiceClient Control { get; } = new(channel);

    /// <summary>Destinations.</summary>
    public TransportService.TransportServiceClient Transports { get; } = new(channel);

    /// <summary>Observers.</summary>
    public ObservationService.ObservationServiceClient Observation { get; } = new(channel);

    /// <summary>A destination named <paramref name="name"/> with one gRPC wire to the deployment's sample sink.</summary>
    public async Task CreateSinkDestinationAsync(string name) =>
        await Transports.CreateDestinationAsync(
            new CreateDestinationRequest
            {
                Name = name,
                Wires = { new Wire { Kind = WireKind.Grpc, Address = Deployment.SinkAddressForServer.ToString().TrimEnd('/'), Priority = 0 } },
            },
            deadline: Deadline());

    /// <summary>
    /// A FIFO runtime that consumes an input once it is applied (the sink acknowledged its delivery) and retries up to
    /// <paramref name="maxAttempts"/> times with a short backoff, bound to <paramref name="destination"/> (empty: none).
    /// </summary>
    public async Task CreateRuntimeAsync(string runtimeId, string destination, uint maxAttempts = 1000) =>
        await Control.CreateRuntimeAsync(
            new CreateRuntimeRequest
            {
                RuntimeId = runtimeId,
                Destination = destination,
                Policy = new RuntimePolicy
                {
                    QueueMode = QueueMode.Fifo,
                    ConsumePoint = ConsumePoint.OnApply,
                    MaxBatchPerRun = 64,
                    MaxAttempts = maxAttempts,
                    RetryBackoff = new RetryBackoff
                    {
                        Initial = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(100)),
                        Max = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
                        Multiplier = 2,
                    },
                },
            },
            deadline: Deadline());

    /// <summary>One input whose payload is its idempotency key (so a repeat is a dedup, never a conflict).</summary>
    public static Input NewInput(string idempotencyKey) => new()
    {
        IdempotencyKey = idempotencyKey,
        Kind = "fault-test",
        Payload = ByteString.CopyFromUtf8(idempotencyKey),
        ContentType = "text/plain",
        PayloadType = PayloadType.RpcReliable,
    };

    /// <summary>Every input of the runtime, all pages.</summary>
    public async Task<IReadOnlyList<InputState>> ListAllInputsAsync(string runtimeId)
    {
        var inputs = new List<InputState>();
        var token = "";
        for (var page = 0; page < 10_000; page++)
        {
            var reply = await Driver.ListInputsAsync(
                new ListInputsRequest { RuntimeId = runtimeId, PageSize = 1000, PageToken = token }, deadline: Deadline());
            inputs.AddRange(reply.Inputs);
            token = reply.NextPageToken;
            if (token.Length == 0)
            {
                break;
            }
        }

        return inputs;
    }

    /// <summary>Waits (bounded) until every input of the runtime has reached a terminal phase.</summary>
    public Task WaitAllTerminalAsync(string runtimeId, TimeSpan timeout) =>
        Eventually.UntilAsync($"every input of {runtimeId} to reach a terminal phase", timeout, async _ =>
        {
            var inputs = await ListAllInputsAsync(runtimeId);
            return inputs.All(i => i.Phase is InputPhase.Consumed or InputPhase.Abandoned or InputPhase.Superseded or InputPhase.Coalesced);
        }, TimeSpan.FromMilliseconds(500));

    private static DateTime Deadline() => DateTime.UtcNow.Add(CallTimeout);
}
