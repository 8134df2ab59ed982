namespace Runtime.IntegrationTests.Infrastructure;

/// <summary>
/// Waits for a condition in another process (a container's port, a sink's counters) that offers no push signal:
/// polls it at a short interval and fails with <paramref name="what"/> once the bound is spent. Never unbounded.
/// </summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it returns true or <paramref name="timeout"/> passes.</summary>
    public static async Task UntilAsync(string what, TimeSpan timeout, Func<CancellationToken, Task<bool>> condition, TimeSpan? interval = null)
    {
        using var cts = new CancellationTokenSource(timeout);
        Exception? last = null;
        while (!cts.IsCancellationRequested)
        {
            try
            {
                if (await condition(cts.Token))
                {
                    return;
                }
            }
            catch (Exception e) when (!cts.IsCancellationRequested)
            {
                last = e;
            }
            catch (OperationCanceledException)
            {
                break;
            }

            try
            {
                await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100), cts.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        throw new TimeoutException($"gave up after {timeout.TotalSeconds:0.#} s waiting for {what}" + (last is null ? "" : $"; last error: {last.Message}"), last);
    }
}
