using System.Collections.Concurrent;
using Grpc.Core;
using Runtime.Contracts.V1;

namespace Runtime.IntegrationTests.Faults;

/// <summary>
/// What concurrent clients were told: inputs answered ACCEPTED (or DEDUPLICATED, i.e. stored earlier) by idempotency
/// key, and calls that failed, whose inputs may or may not have been stored. Thread-safe.
/// </summary>
public sealed class AcceptLedger
{
    private readonly Lock _lock = new();
    private (int Threshold, TaskCompletionSource Reached)? _waiter;

    /// <summary>Idempotency key → input id, for every input the server said it has stored.</summary>
    public ConcurrentDictionary<string, string> Accepted { get; } = new(StringComparer.Ordinal);

    /// <summary>Idempotency keys whose call failed, with the status code.</summary>
    public ConcurrentDictionary<string, StatusCode> Failed { get; } = new(StringComparer.Ordinal);

    /// <summary>Keys answered REJECTED, with the reason.</summary>
    public ConcurrentDictionary<string, string> Rejected { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Completes once <paramref name="count"/> inputs in total have been answered ACCEPTED: a fault's trigger.
    /// One waiter at a time (a new call replaces the previous one).
    /// </summary>
    public Task AcceptedAtLeast(int count)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiter = (count, reached);
        }

        Check();
        return reached.Task;
    }

    internal void Record(string key, AcceptInputResponse reply)
    {
        switch (reply.Outcome)
        {
            case AcceptOutcome.Accepted:
                Accepted[key] = reply.InputId;
                break;
            case AcceptOutcome.Deduplicated:
                Accepted[key] = reply.ExistingInputId.Length > 0 ? reply.ExistingInputId : reply.InputId;
                break;
            default:
                Rejected[key] = reply.Reason;
                break;
        }

        Check();
    }

    internal void Record(string key, RpcException failure) => Failed[key] = failure.StatusCode;

    private void Check()
    {
        lock (_lock)
        {
            if (_waiter is { } waiter && Accepted.Count >= waiter.Threshold)
            {
                waiter.Reached.TrySetResult();
                _waiter = null;
            }
        }
    }
}

/// <summary>Concurrent clients accepting inputs with unique idempotency keys until stopped.</summary>
public static class AcceptLoad
{
    /// <summary>
    /// Runs <paramref name="clients"/> loops, each accepting <c>{prefix}-{client}-{n}</c> one call at a time, until
    /// <paramref name="stop"/> fires or each has sent <paramref name="maxPerClient"/>. Failed calls are recorded and
    /// the loop goes on after a short pause (the server may be gone: the load must not spin). A
    /// <paramref name="pace"/> spaces each client's calls, for a steady flow rather than a flood.
    /// </summary>
    public static Task RunAsync(RuntimeApi api, string runtimeId, string prefix, AcceptLedger ledger,
        int clients, int maxPerClient, CancellationToken stop, TimeSpan? pace = null) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            for (var n = 0; n < maxPerClient && !stop.IsCancellationRequested; n++)
            {
                var key = $"{prefix}-{client}-{n}";
                try
                {
                    var reply = await api.Driver.AcceptInputAsync(
                        new AcceptInputRequest { RuntimeId = runtimeId, Input = RuntimeApi.NewInput(key) },
                        deadline: DateTime.UtcNow.AddSeconds(10));
                    ledger.Record(key, reply);
                    if (pace is { } delay && !await PauseAsync(delay, stop))
                    {
                        return;
                    }
                }
                catch (RpcException e)
                {
                    ledger.Record(key, e);
                    if (!await PauseAsync(TimeSpan.FromMilliseconds(50), stop))
                    {
                        return;
                    }
                }
            }
        }, CancellationToken.None)));

    // False when stopped during the pause.
    private static async Task<bool> PauseAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
