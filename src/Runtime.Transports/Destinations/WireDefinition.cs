namespace Runtime.Transports.Destinations;

/// <summary>One way to reach a destination, as defined by an operator.</summary>
/// <param name="Kind">The kind of connection.</param>
/// <param name="Address">Where to connect; its form depends on <paramref name="Kind"/>.</param>
/// <param name="Priority">Lower is preferred: sends go to the best ready wire and fall back by priority.</param>
public sealed record WireDefinition(WireKind Kind, string Address, int Priority = 0);
