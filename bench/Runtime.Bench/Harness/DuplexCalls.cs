using Grpc.Core;

namespace Runtime.Bench.Harness;

/// <summary>Ends bidirectional calls as a client should: half-close each, wait for the readers of their answers, dispose.</summary>
public static class DuplexCalls
{
    /// <summary>Closes <paramref name="calls"/> once <paramref name="readers"/> (whatever their outcome) have ended.</summary>
    public static async ValueTask CloseAsync<TRequest, TResponse>(
        IReadOnlyList<AsyncDuplexStreamingCall<TRequest, TResponse>> calls, IEnumerable<Task> readers)
    {
        foreach (var call in calls)
        {
            await call.RequestStream.CompleteAsync();
        }

        await Task.WhenAll(readers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var call in calls)
        {
            call.Dispose();
        }
    }
}
