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
public sealed class StalledSubscriberTests(StalledSubscriberTests.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<StalledSubscriberTests.Fixture>
{
    private const string Observer = "runtimes";

    /// <summary>
    /// Fast cycles of the runtimes observer, a small per-subscriber buffer and a short history, so a paused
    /// subscriber falls behind within seconds and its resume point leaves history.
    /// </summary>
    public sealed class Fixture() : FaultFixture(new Dictionary<string, string>
    {
        ["Runtime__Observation__Observers__runtimes__Interval"] = "00:00:00.100",
        ["Runtime__Observation__Observers__runtimes__HistoryLimit"] = "16",
        ["Runtime__Observation__SubscriberBufferSize"] = "8",
    });

    [Fact]
    public async Task A_paused_subscriber_never_slows_the_others_and_after_unpause_resumes_or_gets_gap_and_snapshot()
    {
        var deployment = fixture.Deployment;
        var api = fixture.Api;
        var interval = (await api.Observation.ListObserversAsync(new ListObserversRequest())).Observers.Single(o => o.Name == Observer).Interval.ToTimeSpan();

        // Activity so nearly every cycle of the runtimes observer has events: runtimes keep being created.
        using var stopLoad = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var load = CreateRuntimesAsync(api, stopLoad.Token);

        // The subscriber to stall: its own process in its own container.
        await using var stalled = await deployment.StartToolAsync("/app/subscriber",
            Deployment.ServerAddressForContainers.ToString().TrimEnd('/'), Observer, "300");
        await Eventually.UntilAsync("the containerised subscriber to receive 3 batches", TimeSpan.FromSeconds(60),
            async ct => (await ReadLinesAsync(stalled)).Count(l => l.Type == "batch") >= 3, TimeSpan.FromMilliseconds(250));
        var stalledSubscription = (await api.Observation.ListObserversAsync(new ListObserversRequest()))
            .Observers.Single(o => o.Name == Observer).Subscriptions.Single().SubscriptionId;

        // The subscriber on time: on the host, recording when each batch arrives.
        using var stopReference = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var reference = new ConcurrentQueue<(ulong Cycle, DateTimeOffset At)>();
        var referenceTask = SubscribeAsync(api, reference, stopReference.Token);

        await ContainerPause.PauseAsync(stalled.Container);
        var pausedAt = DateTimeOffset.UtcNow;
        DateTimeOffset resumedAt;
        try
        {
            // Paused until the server has noticed this subscriber falling behind (overflowed, resynchronised or dropped).
            await Eventually.UntilAsync("the server to find the paused subscriber behind", TimeSpan.FromSeconds(90), async _ =>
            {
                var observer = (await api.Observation.ListObserversAsync(new ListObserversRequest())).Observers.Single(o => o.Name == Observer);
                var subscription = observer.Subscriptions.SingleOrDefault(s => s.SubscriptionId == stalledSubscription);
                return subscription is null || subscription.Overflows + subscription.Resyncs + subscription.Dropped > 0;
            }, TimeSpan.FromMilliseconds(250));

            // Stay paused well past what the history holds (3 × its 16 batches), so catching up from history is impossible.
            var noticedAt = await CurrentCycleAsync(api);
            await Eventually.UntilAsync("the observer to run 48 more cycles", TimeSpan.FromSeconds(60),
                async _ => await CurrentCycleAsync(api) >= noticedAt + 48, TimeSpan.FromMilliseconds(250));
            resumedAt = DateTimeOffset.UtcNow;
        }
        finally
        {
            // Also on failure: a paused container cannot be stopped and removed cleanly.
            await stalled.Container.UnpauseAsync();
        }

        // After unpause it gets past every cycle that ran while it was paused (so the hole check below spans them).
        var cycleAtUnpause = await CurrentCycleAsync(api);
        await Eventually.UntilAsync($"the unpaused subscriber to get past cycle {cycleAtUnpause}", TimeSpan.FromSeconds(60),
            async _ => (await ReadLinesAsync(stalled)).Any(l => l.Type == "batch" && l.Cycle > cycleAtUnpause), TimeSpan.FromMilliseconds(250));

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
        Assert.True(longestSilence < 10 * interval + TimeSpan.FromSeconds(3), $"the on-time subscriber went {longestSilence} without a batch");

        // No silent hole: every batch the on-time subscriber got, within the range the paused one covered, reached
        // the paused one too, or was inside a GAP it was told about (followed by a fresh snapshot).
        // It resumed (caught up without a hole) or was told: a GAP and a fresh snapshot, or a stream end.
        var lines = await ReadLinesAsync(stalled);
        output.WriteLine($"paused subscriber: {lines.Count(l => l.Type == "batch")} batches, {lines.Count(l => l.Type == "gap")} gaps, {lines.Count(l => l.Type == "end")} stream ends, {lines.Count(l => l.Type == "snapshot")} snapshots");
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

    private static async Task<ulong> CurrentCycleAsync(RuntimeApi api) =>
        (await api.Observation.ListObserversAsync(new ListObserversRequest())).Observers.Single(o => o.Name == Observer).CurrentCycle;

    // Creates runtimes from a few concurrent callers until stopped (bounded in count too). Long ids make each
    // event a few hundred bytes, so a paused reader's HTTP/2 window and the server's output buffer fill in seconds.
    private static Task CreateRuntimesAsync(RuntimeApi api, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, 4).Select(caller => CreateRuntimesAsync(api, caller, stop)));

    private static async Task CreateRuntimesAsync(RuntimeApi api, int caller, CancellationToken stop)
    {
        for (var n = 0; n < 5_000 && !stop.IsCancellationRequested; n++)
        {
            try
            {
                await api.CreateRuntimeAsync($"stalled-{caller}-{n}-".PadRight(128, 'x'), destination: "");
                await Task.Delay(TimeSpan.FromMilliseconds(5), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (RpcException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static async Task<IReadOnlyList<SubscriberLine>> ReadLinesAsync(AppContainer container)
    {
        var (stdout, _) = await container.Container.GetLogsAsync(timestampsEnabled: false);
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
