using System.Diagnostics.CodeAnalysis;
using Runtime.Core.Delivery;

namespace Runtime.Transports.Wires.InProcess;

/// <summary>A destination inside this process (a built-in sink for the embedded default and benchmarks).</summary>
public interface IInProcessSink
{
    /// <summary>Delivers one run; reports failures rather than throwing them.</summary>
    ValueTask<DeliveryResult> DeliverAsync(RunDelivery run, CancellationToken cancellationToken);
}

/// <summary>The in-process sinks <c>inproc</c> wires can name. The host adapts the core's built-in sinks to it.</summary>
public interface IInProcessSinks
{
    /// <summary>Finds the sink with that name.</summary>
    bool TryGet(string name, [NotNullWhen(true)] out IInProcessSink? sink);
}

/// <summary>A fixed set of named in-process sinks.</summary>
/// <param name="sinks">The sinks by name (case-sensitive).</param>
public sealed class InProcessSinkRegistry(IReadOnlyDictionary<string, IInProcessSink> sinks) : IInProcessSinks
{
    /// <summary>A registry with no sinks: every <c>inproc</c> wire is refused.</summary>
    public static InProcessSinkRegistry Empty { get; } = new(new Dictionary<string, IInProcessSink>());

    /// <inheritdoc />
    public bool TryGet(string name, [NotNullWhen(true)] out IInProcessSink? sink) => sinks.TryGetValue(name, out sink);
}
