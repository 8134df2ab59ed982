using Grpc.Core;

namespace Runtime.Server.Tests.Observation;

/// <summary>Bounded reads of a server stream: a broken test fails fast instead of hanging.</summary>
public static class StreamReading
{
    /// <summary>The next message; fails when the stream ends or nothing comes in time.</summary>
    public static async Task<T> NextAsync<T>(this IAsyncStreamReader<T> stream)
        where T : class
    {
        Assert.True(await stream.MoveNext().WaitAsync(ObservationServer.Patience), "the stream ended early");
        return stream.Current;
    }

    /// <summary>Reads to the end (bounded) and returns what came.</summary>
    public static async Task<List<T>> ToEndAsync<T>(this IAsyncStreamReader<T> stream)
        where T : class
    {
        var messages = new List<T>();
        while (await stream.MoveNext().WaitAsync(ObservationServer.Patience))
        {
            messages.Add(stream.Current);
            Assert.True(messages.Count < 10_000, "the stream did not end");
        }

        return messages;
    }
}
