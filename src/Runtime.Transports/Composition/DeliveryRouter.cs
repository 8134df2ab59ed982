using Runtime.Core.Delivery;
using Runtime.Transports.Manager;

namespace Runtime.Transports.Composition;

/// <summary>
/// The one <see cref="IDeliveryPort"/> the server registers. Destinations defined through TransportService go to the
/// <see cref="TransportManager"/>; a name that is not defined there but starts with <c>inproc:</c> goes straight to the
/// core's built-in sinks, so runtimes bound to <c>inproc:accept</c> work without defining a destination first. A
/// defined destination wins over a built-in of the same name.
/// </summary>
public sealed class DeliveryRouter : IDeliveryPort, IDisposable
{
    private readonly TransportManager _manager;
    private readonly InProcessDeliveryPort _builtIns;

    /// <summary>Routes between the manager and the built-ins and forwards both sides' availability changes.</summary>
    public DeliveryRouter(TransportManager manager, InProcessDeliveryPort builtIns)
    {
        _manager = manager;
        _builtIns = builtIns;
        _manager.AvailabilityChanged += OnManagerChanged;
        _builtIns.AvailabilityChanged += OnBuiltInChanged;
    }

    /// <inheritdoc />
    public event EventHandler<DestinationAvailabilityChanged>? AvailabilityChanged;

    /// <inheritdoc />
    public ValueTask<DeliveryResult> DeliverAsync(RunDelivery run, CancellationToken cancellationToken) =>
        IsBuiltIn(run.Destination)
            ? _builtIns.DeliverAsync(run, cancellationToken)
            : _manager.DeliverAsync(run, cancellationToken);

    /// <inheritdoc />
    public DestinationAvailability GetAvailability(string destination) =>
        IsBuiltIn(destination) ? _builtIns.GetAvailability(destination) : _manager.GetAvailability(destination);

    /// <inheritdoc />
    public void Dispose()
    {
        _manager.AvailabilityChanged -= OnManagerChanged;
        _builtIns.AvailabilityChanged -= OnBuiltInChanged;
    }

    private bool IsBuiltIn(string destination) =>
        destination.StartsWith(InProcessDeliveryPort.Prefix, StringComparison.Ordinal) && !_manager.HasDestination(destination);

    private void OnManagerChanged(object? sender, DestinationAvailabilityChanged change)
    {
        // Deleting a defined destination that shadows a built-in uncovers the built-in.
        var effective = change.Availability == DestinationAvailability.Missing && IsBuiltIn(change.Destination)
            ? change with { Availability = _builtIns.GetAvailability(change.Destination) }
            : change;
        AvailabilityChanged?.Invoke(this, effective);
    }

    private void OnBuiltInChanged(object? sender, DestinationAvailabilityChanged change)
    {
        if (!_manager.HasDestination(change.Destination))
        {
            AvailabilityChanged?.Invoke(this, change);
        }
    }
}
