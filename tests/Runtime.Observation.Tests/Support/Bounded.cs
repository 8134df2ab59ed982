namespace Runtime.Observation.Tests.Support;

/// <summary>Bounded waits on real signals, so a broken test fails fast instead of hanging.</summary>
public static class Bounded
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static Task Wait(Task task) => task.WaitAsync(Timeout);

    public static async Task<T> Next<T>(IAsyncEnumerator<T> stream)
    {
        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(Timeout), "the stream ended early");
        return stream.Current;
    }

    public static async Task End<T>(IAsyncEnumerator<T> stream) =>
        Assert.False(await stream.MoveNextAsync().AsTask().WaitAsync(Timeout), "the stream did not end");
}
