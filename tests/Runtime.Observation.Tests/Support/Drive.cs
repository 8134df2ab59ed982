using Microsoft.Extensions.Time.Testing;
using Runtime.Observation.Observers;

namespace Runtime.Observation.Tests.Support;

/// <summary>Drives a runner on fake time.</summary>
public static class Drive
{
    /// <summary>Advances one interval and waits until the next cycle has run.</summary>
    public static async Task CycleAsync(FakeTimeProvider time, ObserverRunner runner)
    {
        var next = runner.CurrentCycle + 1;
        time.Advance(runner.Settings.Interval);
        await Bounded.Wait(runner.WhenCycleAsync(next));
    }
}
