using Grpc.Core;
using Runtime.Server.Errors;

namespace Runtime.Server.Hosting;

/// <summary>
/// Lets long-lived streams end promptly and clearly when the host stops: they link this token and, when it fires,
/// end with UNAVAILABLE (reason <c>SERVER_SHUTTING_DOWN</c>) instead of being cut off when the timeout runs out.
/// </summary>
public sealed class ShutdownSignal(IHostApplicationLifetime lifetime)
{
    /// <summary>Fires when the host starts stopping.</summary>
    public CancellationToken Stopping => lifetime.ApplicationStopping;

    /// <summary>A token that fires when either the call is cancelled or the host is stopping.</summary>
    public CancellationTokenSource Link(ServerCallContext context) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);

    /// <summary>
    /// Runs a streaming handler body with a token that also fires on shutdown; a stream cut by shutdown ends with
    /// the clear UNAVAILABLE status, one the client cancelled simply ends. Give the token to waits only, never to
    /// response writes (write with <see cref="ServerCallContext.CancellationToken"/>): grpc-dotnet resets the HTTP/2
    /// stream when a pending write's token fires, so a shutdown landing mid-write would cut the stream without its
    /// status. A write in progress completes instead, and the next wait sees the shutdown.
    /// </summary>
    public async Task RunStreamAsync(ServerCallContext context, Func<CancellationToken, Task> body)
    {
        using var linked = Link(context);
        try
        {
            await body(linked.Token);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            ThrowIfStopping();
            throw;
        }
    }

    /// <summary>
    /// Call when a stream loop was cancelled: throws the clear shutdown status if the host is stopping, otherwise
    /// returns (the client went away).
    /// </summary>
    public void ThrowIfStopping()
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw ErrorMapping.ToRpcException(StatusCode.Unavailable, "SERVER_SHUTTING_DOWN",
                "the server is shutting down; reconnect and resume");
        }
    }
}
