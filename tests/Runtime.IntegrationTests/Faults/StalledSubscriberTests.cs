using System.Collections.Concurrent;
using System.Text.Json;
using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Runtime.IntegrationTests.Faults;

/// <summary>
/// Scenario 3: a subscriber whose process is paused (docker pause) while another keeps receiving on time. After
/// unpause the paused one resumes, or is told GAP and gets a fresh snapshot: never a silent hole.
/// </summary>
public sealed class StalledSubscriberTests(FaultFixture fixture, ITestOutputHelper output) : IClassFixture<FaultFixture>
{
    private const string Observer = "runtimes";
    private const string RuntimeId = "stalled";

    [Fact]
    public async Task A_paused_subscriber_never_slows_the_others_and_after_unpause_resumes_or_gets_gap_and_snapshot()
    {
        var deployment = fixture.Deployment;
        var api = fixture.Api;
        var interval = (await api.Observation.ListObserversAsync(new ListObserversRequest())).Observers.Single(o => o.Name == Observer).Interval.ToTimeSpan();

        // Activity so every cycle of the runtimes observer changes something (queue depth of an unbound runtime).
        await api.CreateRuntimeAsync(RuntimeId, destination: "");
        var ledger = new AcceptLedger();
        using var stopLoad = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var load = AcceptLoad.RunAsync(api, RuntimeId, "s", ledger, clients: 2, maxPerClient: 20_000, stopLoad.Token, pace: TimeSpan.FromMilliseconds(5));

        // The subscriber on time: on the host, recording when each batch arrives.
        using var stopReference = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var reference = new ConcurrentQueue<(ulong Cycle, DateTimeOffset At)>();
        var referenceTask = SubscribeAsync(api, reference, stopReference.Token);

        // The subscriber to stall: its own process in its own container.
        await using var stalled = await deployment.StartToolAsync("/app/subscriber",
            Deployment.ServerAddressForContainers.ToString().TrimEnd('/'), Observer, "300");
        await Eventually.UntilAsync("the containerised subscriber to receive 3 batches", TimeSpan.FromSeconds(60),
            async ct => (await ReadLinesAsync(stalled)).Count(l => l.Type == "batch") >= 3, TimeSpan.FromMilliseconds(250));

        await stalled.Container.PauseAsync();
        var pausedAt = DateTimeOffset.UtcNow;
        // Paused until the server has noticed it lagging (resynchronised or dropped), at least several intervals.
        await Eventually.UntilAsync("the server to resynchronise or drop the paused subscriber", TimeSpan.FromSeconds(90), async _ =>
        {
            var observers = await api.Observation.ListObserversAsync(new ListObserversRequest());
            return observers.TotalResyncs + observers.TotalDroppedSubscribers > 0
                && DateTimeOffset.UtcNow - pausedAt > 5 * interval;
        }, TimeSpan.FromMilliseconds(250));
        var resumedAt = DateTimeOffset.UtcNow;
        await stalled.Container.UnpauseAsync();

        // After unpause it receives again.
        var linesAtUnpause = (await ReadLinesAsync(stalled)).Count;
        await Eventually.UntilAsync("the unpaused subscriber to receive batches again", TimeSpan.FromSeconds(60),
            async _ => (await ReadLinesAsync(stalled)).Skip(linesAtUnpause).Count(l => l.Type == "batch") >= 3, TimeSpan.FromMilliseconds(250));

        await stopLoad.CancelAsync();
        await load.WaitAsync(TimeSpan.FromSeconds(30));
        await stopReference.CancelAsync();
        await referenceTask;

        // The subscriber on time kept receiving while the other was paused.
        var onTime = reference.ToList();
        var duringPause = onTime.Where(b => b.At >= pausedAt && b.At <= resumedAt).ToList();
        Assert.NotEmpty(duringPause);
        var longestSilence = onTime.Zip(onTime.Skip(1), (a, b) => b.At - a.At).Where((_, i) => onTime[i].At >= pausedAt && onTime[i].At <= resumedAt).DefaultIfEmpty().Max();
        output.WriteLine($"interval {interval}, paused {resumedAt - pausedAt}, reference batches during the pause {duringPause.Count}, longest silence {longestSilence}");
        Assert.True(longestSilence < 5 * interval + TimeSpan.FromSeconds(2), $"the on-time subscriber went {longestSilence} without a batch");

        // No silent hole: every batch the on-time subscriber got, within the range the paused one covered, reached
        // the paused one too, or was inside a GAP it was told about (followed by a fresh snapshot).
        var lines = await ReadLinesAsync(stalled);
        AssertNoSilentHole(lines, onTime.Select(b => b.Cycle).ToHashSet());
    }

    private static void AssertNoSilentHole(IReadOnlyList<SubscriberLine> lines, IReadOnlySet<ulong> referenceCycles)
    {
        var batches = lines.Where(l => l.Type == "batch").Select(l => l.Cycle).ToHashSet();
        var first = batches.Min();
        var last = batches.Max();
        var covered = new HashSet<ulong>(batches);
        var interrupted = false;
        foreach (var line in lines)
        {
            switch (line.Type)
            {
                case "gap":
                    interrupted = true;
                    for (var c = line.After + 1; c < line.ResumeAt; c++)
                    {
                        covered.Add(c);
                    }

                    break;
                case "end":
                    interrupted = true;
                    break;
                case "snapshot" when interrupted:
                    // A fresh snapshot after an interruption stands for every cycle up to it.
                    covered.UnionWith(referenceCycles.Where(c => c <= line.Cycle));
                    break;
            }
        }

        var holes = referenceCycles.Where(c => c > first && c < last && !covered.Contains(c)).Order().ToList();
        Assert.True(holes.Count == 0, $"silent hole: batches {string.Join(", ", holes.Take(20))} never reached the paused subscriber and no GAP covered them");
    }

    private static async Task<IReadOnlyList<SubscriberLine>> ReadLinesAsync(AppContainer container)
    {
        var (stdout, _) = await container.Container.GetLogsAsync();
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonSerializer.Deserialize<SubscriberLine>(l, SubscriberLine.Json)!)
            .ToList();
    }

    private static async Task SubscribeAsync(RuntimeApi api, ConcurrentQueue<(ulong, DateTimeOffset)> batches, CancellationToken stop)
    {
        try
        {
            using var call = api.Observation.Subscribe(new SubscribeRequest { Observers = { Observer } }, cancellationToken: stop);
            await foreach (var message in call.ResponseStream.ReadAllAsync(stop))
            {
                if (message.MessageCase == SubscribeResponse.MessageOneofCase.Batch)
                {
                    batches.Enqueue((message.Batch.Cycle, DateTimeOffset.UtcNow));
                }
            }
        }
        catch (RpcException) when (stop.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One line the subscriber tool prints (docker/Subscriber).</summary>
    private sealed record SubscriberLine(string Type, string Observer, ulong Cycle, ulong After, ulong ResumeAt, string Reason, string Status)
    {
        public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    }
}
