namespace Runtime.Client.Tests.Infrastructure;

/// <summary>Reads an async stream step by step with bounded waits, so a test can act between messages.</summary>
/// <typeparam name="T">The message type.</typeparam>
public sealed class StreamProbe<T>(IAsyncEnumerable<T> stream) : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _cancel = new();
    private IAsyncEnumerator<T>? _enumerator;

    /// <summary>Reads the next <paramref name="count"/> messages; fails if the stream ends first.</summary>
    public async Task<List<T>> TakeAsync(int count)
    {
        var items = new List<T>();
        for (var i = 0; i < count; i++)
        {
            Assert.True(await MoveNextAsync(), $"the stream ended after {items.Count} of {count} messages");
            items.Add(_enumerator!.Current);
        }

        return items;
    }

    /// <summary>Reads every remaining message until the stream ends.</summary>
    public async Task<List<T>> RestAsync()
    {
        var items = new List<T>();
        while (await MoveNextAsync())
        {
            items.Add(_enumerator!.Current);
        }

        return items;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        if (_enumerator is not null)
        {
            try
            {
                await _enumerator.DisposeAsync();
            }
            catch (OperationCanceledException)
            {
            }
        }

        _cancel.Dispose();
    }

    private async Task<bool> MoveNextAsync()
    {
        _enumerator ??= stream.GetAsyncEnumerator(_cancel.Token);
        return await _enumerator.MoveNextAsync().AsTask().WaitAsync(Timeout);
    }
}
