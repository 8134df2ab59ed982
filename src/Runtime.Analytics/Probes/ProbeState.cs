using Runtime.Core.Events;

namespace Runtime.Analytics.Probes;

/// <summary>One event category and whether its events are produced.</summary>
/// <param name="Category">The category.</param>
/// <param name="Enabled">False: events of the category are not produced at all.</param>
/// <param name="Description">What the category covers.</param>
public sealed record ProbeState(EventCategory Category, bool Enabled, string Description);
