namespace Runtime.Transports.Destinations;

/// <summary>
/// A destination as stored: a unique name and its wires, ordered by priority (stable for equal priorities).
/// Build one with <see cref="DestinationValidator.Validate"/>, which checks and orders the wires.
/// </summary>
public sealed record DestinationDefinition(string Name, IReadOnlyList<WireDefinition> Wires, DateTimeOffset CreateTime)
{
    /// <summary>Same name and the same wires in the same order (the creation time is not compared).</summary>
    public bool SameShapeAs(DestinationDefinition other) =>
        Name == other.Name && Wires.SequenceEqual(other.Wires);
}
