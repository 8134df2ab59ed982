using Microsoft.Extensions.Logging;
using Runtime.Core.Delivery;
using Runtime.Core.Events;
using Runtime.Core.Hosting;
using Runtime.Core.Storage;

namespace Runtime.Core.Driver;

/// <summary>What every runtime actor of one host shares.</summary>
internal sealed class ActorContext(
    IRuntimeStore store,
    IDeliveryPort port,
    IEventCategories categories,
    TimeProvider time,
    RuntimeHostOptions options,
    ILogger logger)
{
    public IRuntimeStore Store { get; } = store;

    public IDeliveryPort Port { get; } = port;

    /// <summary>Which event categories turns produce (their events are written with them).</summary>
    public IEventCategories Categories { get; } = categories;

    public TimeProvider Time { get; } = time;

    public RuntimeHostOptions Options { get; } = options;

    public RequestValidation Validation { get; } = new(options.Limits);

    public ILogger Logger { get; } = logger;
}
