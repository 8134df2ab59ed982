using System.Text;
using Runtime.Core.Delivery;
using Runtime.Core.Hosting;

namespace Runtime.Bench.Scenarios;

/// <summary>Inputs flowing into a few runtimes bound to the in-process accepting sink: saturated or paced.</summary>
public sealed class FanOutInputs(IRuntimeHost host, int runtimes)
{
    private static readonly ReadOnlyMemory<byte> Payload = Encoding.UTF8.GetBytes(new string('x', 64));

    private long _accepted;

    /// <summary>Inputs accepted so far.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Creates the runtimes.</summary>
    public async Task CreateAsync()
    {
        for (var i = 0; i < runtimes; i++)
        {
            await host.CreateRuntimeAsync(new RuntimeSpec { RuntimeId = Id(i), Destination = InProcessDeliveryPort.AcceptSink });
        }
    }

    /// <summary>One closed loop per runtime, each accepting batches of <paramref name="batch"/> as fast as they commit.</summary>
    public Task SaturateAsync(TimeSpan duration, int batch = 64)
    {
        var until = DateTime.UtcNow + duration;
        return Task.WhenAll(Enumerable.Range(0, runtimes).Select(async i =>
        {
            var inputs = Inputs(batch);
            while (DateTime.UtcNow < until)
            {
                await host.AcceptInputsAsync(Id(i), inputs);
                Interlocked.Add(ref _accepted, batch);
            }
        }));
    }

    /// <summary>
    /// About <paramref name="perSecond"/> inputs a second, round robin: a small batch every 10 ms, or one input at a time
    /// less often below 100 a second.
    /// </summary>
    public async Task PaceAsync(TimeSpan duration, int perSecond, CancellationToken cancellationToken = default)
    {
        var until = DateTime.UtcNow + duration;
        var ticksPerSecond = Math.Clamp(perSecond, 1, 100);
        var inputs = Inputs(Math.Max(1, perSecond / ticksPerSecond));
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / ticksPerSecond));
        for (var tick = 0; DateTime.UtcNow < until && !cancellationToken.IsCancellationRequested && await timer.WaitForNextTickAsync(); tick++)
        {
            await host.AcceptInputsAsync(Id(tick % runtimes), inputs);
            Interlocked.Add(ref _accepted, inputs.Count);
        }
    }

    private static string Id(int index) => $"fanout-{index}";

    private static List<InputSubmission> Inputs(int count) =>
        Enumerable.Range(0, count).Select(_ => new InputSubmission { Kind = "bench", Payload = Payload }).ToList();
}
