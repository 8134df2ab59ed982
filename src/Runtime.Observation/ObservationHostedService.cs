using Microsoft.Extensions.Hosting;

namespace Runtime.Observation;

/// <summary>
/// Runs <see cref="ObservationEngine"/> with the host. Observers start once every hosted service has started, so
/// their first snapshots see what recovery restored, wherever the runtime host sits in the registration order. The
/// event stream needs no start: it sequences events from the moment it is created.
/// </summary>
internal sealed class ObservationHostedService(ObservationEngine engine) : IHostedLifecycleService
{
    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => engine.StartAsync(cancellationToken);

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => engine.StopAsync(cancellationToken);

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
