namespace Runtime.Transports.Destinations;

/// <summary>A wire with its live state and counters.</summary>
/// <param name="Wire">The wire as defined.</param>
/// <param name="State">Its live state.</param>
/// <param name="LastError">The last connection or delivery error, if any.</param>
/// <param name="ReconnectAttempts">Connection attempts that failed since it was last ready.</param>
/// <param name="NextRetryTime">When a failed wire will next be re-dialled.</param>
/// <param name="Sent">Deliveries sent on it.</param>
/// <param name="Acked">Deliveries the destination acknowledged.</param>
/// <param name="Failed">Deliveries that failed (refused, retry asked, timed out, connection lost).</param>
/// <param name="Dropped">Latency-first deliveries dropped under pressure before being sent.</param>
/// <param name="InFlight">Deliveries sent and not answered yet.</param>
/// <param name="Reconnects">Times it became ready again after failing (re-established connections).</param>
public sealed record WireStatus(
    WireDefinition Wire,
    WireState State,
    string? LastError,
    int ReconnectAttempts,
    DateTimeOffset? NextRetryTime,
    long Sent,
    long Acked,
    long Failed,
    long Dropped,
    int InFlight,
    long Reconnects = 0);

/// <summary>A destination with the live state of each wire.</summary>
/// <param name="Name">Its unique name.</param>
/// <param name="Wires">Its wires in priority order.</param>
/// <param name="BoundRuntimes">Live runtimes bound to it.</param>
/// <param name="CreateTime">When it was defined.</param>
public sealed record DestinationStatus(
    string Name,
    IReadOnlyList<WireStatus> Wires,
    int BoundRuntimes,
    DateTimeOffset CreateTime);

/// <summary>One page of destinations ordered by name.</summary>
/// <param name="Destinations">This page.</param>
/// <param name="NextPageToken">Token for the next page; empty on the last page.</param>
public sealed record DestinationPage(IReadOnlyList<DestinationStatus> Destinations, string NextPageToken);

/// <summary>What closing a destination did.</summary>
/// <param name="Destination">The destination after its connections were dropped.</param>
/// <param name="ConnectionsClosed">How many open connections were closed.</param>
public sealed record CloseDestinationResult(DestinationStatus Destination, int ConnectionsClosed);
