namespace Runtime.Client.Streams;

/// <summary>
/// Remembers how far a resumable stream got, so a reconnection asks for exactly what the caller has not seen yet
/// and the caller's own limits (max events, max duration) hold across reconnections.
/// </summary>
/// <typeparam name="TRequest">The stream's request.</typeparam>
/// <typeparam name="TResponse">The stream's messages.</typeparam>
internal interface IStreamCursor<TRequest, TResponse>
{
    /// <summary>True when the caller's limits are used up: the stream is complete, do not reconnect.</summary>
    bool Exhausted { get; }

    /// <summary>The request for the next connection: the caller's request, resuming after what was delivered.</summary>
    TRequest NextRequest();

    /// <summary>Records a message handed to the caller.</summary>
    void Delivered(TResponse message);
}
