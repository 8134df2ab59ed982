using Runtime.Contracts.V1;
using Runtime.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Runtime.IntegrationTests.Faults;

/// <summary>
/// Scenario 1: many concurrent clients accept inputs, the server container is SIGKILLed at random moments and a new
/// container recovers on the same volume. Every input answered ACCEPTED is there exactly once and reaches the sink.
/// </summary>
public sealed class CrashTests(FaultFixture fixture, ITestOutputHelper output) : IClassFixture<FaultFixture>
{
    private const string RuntimeId = "crash";
    private const int Rounds = 3;
    private const int Clients = 8;

    [Fact]
    public async Task Inputs_answered_accepted_survive_sigkill_at_random_moments_exactly_once_and_reach_the_sink()
    {
        var deployment = fixture.Deployment;
        await fixture.Api.CreateSinkDestinationAsync("sink");
        await fixture.Api.CreateRuntimeAsync(RuntimeId, "sink");
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var ledger = new AcceptLedger();

        for (var round = 0; round < Rounds; round++)
        {
            // The kill point: after a random number of ACCEPTED answers in this round, while clients keep sending.
            var killAfter = ledger.Accepted.Count + random.Next(50, 600);
            output.WriteLine($"seed {seed}, round {round}: SIGKILL after {killAfter} accepted inputs in total");
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var load = AcceptLoad.RunAsync(fixture.Api, RuntimeId, $"r{round}", ledger, Clients, 100_000, stop.Token);

            await ledger.AcceptedAtLeast(killAfter).WaitAsync(TimeSpan.FromSeconds(60));
            await deployment.Docker.KillAsync(deployment.Server.Container.Id);
            await stop.CancelAsync();
            await load.WaitAsync(TimeSpan.FromSeconds(30));

            await deployment.RestartServerAsync();
        }

        var api = fixture.Api;
        var inputs = await api.ListAllInputsAsync(RuntimeId);
        output.WriteLine($"{ledger.Accepted.Count} answered ACCEPTED, {ledger.Failed.Count} calls failed, {inputs.Count} inputs stored");

        // Exactly once: one stored input per idempotency key, and every ACCEPTED answer among them with its id.
        var byKey = inputs.GroupBy(i => i.IdempotencyKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        Assert.All(byKey, pair => Assert.Single(pair.Value));
        Assert.All(ledger.Accepted, pair =>
        {
            Assert.True(byKey.TryGetValue(pair.Key, out var stored), $"input {pair.Key} ({pair.Value}) was answered ACCEPTED and then lost");
            Assert.Equal(pair.Value, stored![0].InputId);
        });
        Assert.Empty(ledger.Rejected);

        // Dedup survives the crashes: sending an accepted input again returns the same input.
        var (sampleKey, sampleId) = ledger.Accepted.First();
        var again = await api.Driver.AcceptInputAsync(new AcceptInputRequest { RuntimeId = RuntimeId, Input = RuntimeApi.NewInput(sampleKey) });
        Assert.Equal(AcceptOutcome.Deduplicated, again.Outcome);
        Assert.Equal(sampleId, again.ExistingInputId.Length > 0 ? again.ExistingInputId : again.InputId);

        // Everything stored is delivered: consumed (the sink acknowledged it), never abandoned, and seen by the sink.
        await api.WaitAllTerminalAsync(RuntimeId, TimeSpan.FromMinutes(2));
        inputs = await api.ListAllInputsAsync(RuntimeId);
        Assert.All(inputs, i => Assert.Equal(InputPhase.Consumed, i.Phase));
        var delivered = (await SinkStats.ReadAsync(deployment.Sink!.Address)).InputIds(RuntimeId);
        Assert.All(ledger.Accepted.Values, id => Assert.Contains(id, delivered));
    }
}
