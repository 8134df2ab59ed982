using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Runtime.Contracts.V1;
using Runtime.Server.Errors;
using Runtime.Server.Tests.Infrastructure;

namespace Runtime.Server.Tests.Hostile;

/// <summary>
/// A bounded, seeded sweep of careless and hostile requests over every method the server maps (enumerated from its
/// endpoints and their descriptors, so a new RPC is covered without anyone remembering it): edge values in every
/// field, corrupted encodings, and runtimes in every lifecycle state they can be held in. Every answer is a clear
/// one: never UNKNOWN or INTERNAL, exactly one ErrorInfo in domain <c>runtime</c> on every error, no message over
/// the limit, error headers within <see cref="ErrorBounds.MaxErrorHeaderBytes"/>, nothing half-applied by a
/// refused call, and the server healthy at the end.
/// </summary>
public sealed class HostileInputTests : IClassFixture<HostileInputTests.Server>
{
    private const int Seed = 20_261_202;
    private const int RequestsPerMethod = 6;
    private const int CorruptionsPerMethod = 3;
    private const int MaxMessageBytes = 8 * 1024 * 1024;

    // Read at most this many messages of a stream, and give it this long, before leaving it.
    private const int StreamMessages = 3;
    private static readonly TimeSpan StreamTime = TimeSpan.FromSeconds(2);

    private readonly Server _server;

    public HostileInputTests(Server server) => _server = server;

    /// <summary>The real server on loopback, with heartbeats often enough that idle streams answer quickly.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public LoopbackServer Loopback { get; } = new()
        {
            Settings =
            {
                ["Runtime:Observation:HeartbeatInterval"] = "00:00:00.100",
                ["Runtime:Observation:Events:HeartbeatInterval"] = "00:00:00.100",
            },
        };

        public Task InitializeAsync() => Loopback.InitializeAsync();

        public Task DisposeAsync() => Loopback.DisposeAsync();
    }

    [Fact]
    public async Task Every_method_answers_edge_values_and_corrupted_bytes_clearly_and_applies_nothing_it_refuses()
    {
        var server = _server.Loopback;
        var names = await LifecycleStates.CreateAsync(server.Channel);
        var random = new Random(Seed);
        var values = new EdgeValues(random, names);
        var failures = new List<string>();
        var calls = 0;
        foreach (var (fullName, type, requestType) in server.Methods)
        {
            if (MalformedBytes.DescriptorOf(requestType) is not { } descriptor)
            {
                continue;
            }

            var requests = Enumerable.Range(0, RequestsPerMethod).Select(_ => values.Message(descriptor).ToByteArray()).ToList();
            requests.AddRange(Enumerable.Range(0, CorruptionsPerMethod).Select(i => values.Corrupt(requests[i])));
            foreach (var request in requests)
            {
                var before = await StateSnapshot.SettledAsync(server.Channel);
                var answer = await RawCall.CallAsync(server.Channel, fullName, type, request, StreamMessages, StreamTime);
                calls++;
                var problem = Judge(answer);
                if (problem is null && answer.Status.StatusCode != StatusCode.OK && !answer.EndedByClient)
                {
                    var after = await StateSnapshot.SettledAsync(server.Channel);
                    problem = before == after ? null : $"refused ({answer.Status.StatusCode}) but changed state:\n  before {before}\n  after  {after}";
                }

                if (problem is not null)
                {
                    failures.Add($"{fullName} {Convert.ToHexString(request.AsSpan(0, Math.Min(request.Length, 48)))}: {problem}");
                }
            }
        }

        var health = await new Health.HealthClient(server.Channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.True(calls > 300, $"only {calls} calls");
        Assert.True(failures.Count == 0, $"{failures.Count} of {calls} calls:\n{string.Join("\n", failures.Take(40))}");
    }

    /// <summary>What is wrong with an answer, or null.</summary>
    private static string? Judge(RawAnswer answer)
    {
        if (answer.LargestMessage > MaxMessageBytes)
        {
            return $"a message of {answer.LargestMessage} bytes";
        }

        var code = answer.Status.StatusCode;
        if (code == StatusCode.OK || answer.EndedByClient)
        {
            return null;
        }

        if (code is StatusCode.Unknown or StatusCode.Internal)
        {
            return $"{code} '{answer.Status.Detail}'";
        }

        var infos = MalformedRequestTests.ErrorInfos(answer);
        if (infos is not [{ Domain: ErrorMapping.Domain }])
        {
            return $"{code} '{answer.Status.Detail}' with {infos.Count} ErrorInfo";
        }

        var headerBytes = ErrorSize.HeaderBytes(answer.Status, answer.Trailers);
        return headerBytes > ErrorBounds.MaxErrorHeaderBytes ? $"{code} with {headerBytes} bytes of error headers" : null;
    }

    /// <summary>Runtimes held in each lifecycle state a test can hold one in, and the names requests may use.</summary>
    private static class LifecycleStates
    {
        public static async Task<IReadOnlyList<string>> CreateAsync(Grpc.Net.Client.GrpcChannel channel)
        {
            var control = new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(channel);
            var driver = new RuntimeDriverService.RuntimeDriverServiceClient(channel);
            var awaitingCompletion = new RuntimePolicy { ConsumePoint = ConsumePoint.OnRunComplete };
            await control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "fz-idle", Labels = { ["tier"] = "fz" } });
            await control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "fz-attached", Destination = "inproc:accept" });
            await control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "fz-running", Destination = "inproc:accept", Policy = awaitingCompletion });
            await control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "fz-retired", Destination = "inproc:accept", Policy = awaitingCompletion });
            await control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "fz-stopped" });
            await control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "fz-destroyed" });
            await new TransportService.TransportServiceClient(channel).CreateDestinationAsync(new CreateDestinationRequest
            {
                Name = "fz-dest",
                Wires = { new Wire { Kind = WireKind.Inproc, Address = "accept" } },
            });

            // A run that stays open until someone reports it completed holds a runtime RUNNING; retiring one
            // holds it RETIRED, draining.
            foreach (var id in new[] { "fz-running", "fz-retired", "fz-idle" })
            {
                await driver.AcceptInputAsync(new AcceptInputRequest
                {
                    RuntimeId = id,
                    Input = new Input { InputId = $"{id}-in", Kind = "k", Payload = ByteString.CopyFromUtf8("x") },
                });
            }

            await control.RetireRuntimeAsync(new RetireRuntimeRequest { RuntimeId = "fz-retired" });
            await control.RetireRuntimeAsync(new RetireRuntimeRequest { RuntimeId = "fz-stopped" });
            await control.DestroyRuntimeAsync(new DestroyRuntimeRequest { RuntimeId = "fz-destroyed" });
            return
            [
                "fz-idle", "fz-attached", "fz-running", "fz-retired", "fz-stopped", "fz-destroyed", "fz-idle-in",
                "fz-running-in", "fz-dest", "inproc:accept", "runtimes", "transports", "ledger", "INPUT_LIFECYCLE",
            ];
        }
    }

    /// <summary>
    /// What a refused call must not change: runtimes (existence, lifecycle state, destination, policy, labels; the
    /// states a run moves a runtime between are one), destinations, API keys, the analytics filter, probes and trie.
    /// </summary>
    private static class StateSnapshot
    {
        public static async Task<string> SettledAsync(Grpc.Net.Client.GrpcChannel channel)
        {
            // Read until two reads agree (bounded): work that earlier accepted calls started may still be landing.
            var last = await ReadAsync(channel);
            for (var i = 0; i < 20; i++)
            {
                var next = await ReadAsync(channel);
                if (next == last)
                {
                    return next;
                }

                last = next;
                await Task.Delay(10);
            }

            return last;
        }

        private static async Task<string> ReadAsync(Grpc.Net.Client.GrpcChannel channel)
        {
            var runtimes = await new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(channel)
                .ListRuntimesAsync(new ListRuntimesRequest { PageSize = 1000 });
            var destinations = await new TransportService.TransportServiceClient(channel).ListDestinationsAsync(new ListDestinationsRequest { PageSize = 1000 });
            var keys = await new AccessService.AccessServiceClient(channel).ListApiKeysAsync(new ListApiKeysRequest { PageSize = 1000, ShowRevoked = true });
            var analytics = new AnalyticsService.AnalyticsServiceClient(channel);
            var filter = await analytics.GetFilterAsync(new GetFilterRequest());
            var probes = await analytics.ListProbesAsync(new ListProbesRequest());
            var trie = await analytics.GetTrieAsync(new GetTrieRequest { KeepTop = 1 });
            var runtimeRows = runtimes.Runtimes.Select(r =>
                $"{r.RuntimeId}:{Live(r.State)}:{r.Destination}:{r.Policy}:{string.Join(",", r.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))}");
            return string.Join(" | ",
                string.Join(";", runtimeRows),
                string.Join(";", destinations.Destinations.Select(d => $"{d.Name}:{string.Join(",", d.Wires.Select(w => $"{w.Wire.Kind}/{w.Wire.Address}/{w.Wire.Priority}"))}")),
                string.Join(";", keys.ApiKeys.Select(k => $"{k.KeyId}:{k.RevokeTime}")),
                filter.Filter,
                string.Join(";", probes.Probes.Select(p => $"{p.Category}:{p.Enabled}")),
                $"{string.Join(",", trie.Fields)}:{trie.Weight}");
        }

        private static string Live(RuntimeState state) =>
            state is RuntimeState.Idle or RuntimeState.Attached or RuntimeState.Running ? "LIVE" : state.ToString();
    }
}
