namespace Runtime.Observation;

/// <summary>
/// One cached encoded form of an item that many subscribers receive. The transport layer (gRPC) fills it the first
/// time it encodes the item, so the item is serialised once however many streams carry it; the domain never sees
/// what the bytes are.
/// </summary>
internal static class EncodedSlot
{
    /// <summary>Returns the cached value of type <typeparamref name="T"/>, encoding and caching it on first use.</summary>
    public static T GetOrAdd<T>(ref object? slot, Func<T> encode)
        where T : class
    {
        if (Volatile.Read(ref slot) is T cached)
        {
            return cached;
        }

        var created = encode();

        // The first encoder wins; a racing encoder's work is dropped. A slot already holding another type
        // (a second encoder kind) is left alone and the fresh value returned uncached.
        var winner = Interlocked.CompareExchange(ref slot, created, null);
        return winner as T ?? created;
    }
}
