using System.Diagnostics.CodeAnalysis;
using Runtime.Core.Delivery;
using Runtime.Transports.Wires.InProcess;

namespace Runtime.Transports.Composition;

/// <summary>
/// The core's built-in sinks (<see cref="InProcessDeliveryPort"/>: <c>inproc:accept</c>, <c>inproc:fail</c>, and any
/// registered later) as the sinks <c>inproc</c> wires name. A wire may name a sink with or without the <c>inproc:</c>
/// prefix (<c>accept</c> and <c>inproc:accept</c> are the same sink).
/// </summary>
/// <param name="builtIns">The core's in-process port.</param>
public sealed class BuiltInSinks(InProcessDeliveryPort builtIns) : IInProcessSinks
{
    /// <inheritdoc />
    public bool TryGet(string name, [NotNullWhen(true)] out IInProcessSink? sink)
    {
        var fullName = FullName(name);
        sink = builtIns.GetAvailability(fullName) == DestinationAvailability.Missing ? null : new Sink(builtIns, fullName);
        return sink is not null;
    }

    /// <summary>The sink's name as the core knows it (with the <c>inproc:</c> prefix).</summary>
    public static string FullName(string name) =>
        name.StartsWith(InProcessDeliveryPort.Prefix, StringComparison.Ordinal) ? name : InProcessDeliveryPort.Prefix + name;

    // The core's port picks its sink by the run's destination, so a run arriving on a wire is renamed to the sink.
    private sealed class Sink(InProcessDeliveryPort builtIns, string fullName) : IInProcessSink
    {
        public ValueTask<DeliveryResult> DeliverAsync(RunDelivery run, CancellationToken cancellationToken) =>
            builtIns.DeliverAsync(run.Destination == fullName ? run : run with { Destination = fullName }, cancellationToken);
    }
}
