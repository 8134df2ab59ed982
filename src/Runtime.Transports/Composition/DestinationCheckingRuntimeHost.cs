using Runtime.Core.Delivery;
using Runtime.Core.Errors;
using Runtime.Core.Hosting;

namespace Runtime.Transports.Composition;

/// <summary>
/// The runtime host as callers see it: creating or binding a runtime with a destination nobody defined is NOT_FOUND
/// (<c>DESTINATION_NOT_FOUND</c>, metadata <c>destination</c>) instead of a runtime whose inputs wait forever.
/// Everything else goes straight to the host.
/// </summary>
/// <param name="inner">The host.</param>
/// <param name="port">Knows which destinations exist.</param>
public sealed class DestinationCheckingRuntimeHost(IRuntimeHost inner, IDeliveryPort port) : IRuntimeHost
{
    /// <inheritdoc />
    public Task<RuntimeInfo> CreateRuntimeAsync(RuntimeSpec spec, CancellationToken cancellationToken = default)
    {
        ThrowIfMissing(spec.Destination);
        return inner.CreateRuntimeAsync(spec, cancellationToken);
    }

    /// <inheritdoc />
    public Task<RuntimeInfo> BindDestinationAsync(string runtimeId, string destination, CancellationToken cancellationToken = default)
    {
        ThrowIfMissing(destination);
        return inner.BindDestinationAsync(runtimeId, destination, cancellationToken);
    }

    /// <inheritdoc />
    public Task<RuntimeInfo> GetRuntimeAsync(string runtimeId, CancellationToken cancellationToken = default) =>
        inner.GetRuntimeAsync(runtimeId, cancellationToken);

    /// <inheritdoc />
    public Task<RuntimePage> ListRuntimesAsync(RuntimeQuery query, CancellationToken cancellationToken = default) =>
        inner.ListRuntimesAsync(query, cancellationToken);

    /// <inheritdoc />
    public Task<RuntimeStatus> GetRuntimeStateAsync(string runtimeId, CancellationToken cancellationToken = default) =>
        inner.GetRuntimeStateAsync(runtimeId, cancellationToken);

    /// <inheritdoc />
    public Task<AcceptResult> AcceptInputAsync(string runtimeId, InputSubmission input, CancellationToken cancellationToken = default) =>
        inner.AcceptInputAsync(runtimeId, input, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AcceptResult>> AcceptInputsAsync(
        string runtimeId, IReadOnlyList<InputSubmission> inputs, CancellationToken cancellationToken = default) =>
        inner.AcceptInputsAsync(runtimeId, inputs, cancellationToken);

    /// <inheritdoc />
    public Task<InputState> GetInputStateAsync(string runtimeId, string inputId, CancellationToken cancellationToken = default) =>
        inner.GetInputStateAsync(runtimeId, inputId, cancellationToken);

    /// <inheritdoc />
    public Task<InputPage> ListInputsAsync(InputQuery query, CancellationToken cancellationToken = default) =>
        inner.ListInputsAsync(query, cancellationToken);

    /// <inheritdoc />
    public Task<RetireReport> RetireRuntimeAsync(string runtimeId, CancellationToken cancellationToken = default) =>
        inner.RetireRuntimeAsync(runtimeId, cancellationToken);

    /// <inheritdoc />
    public Task<RecycleReport> RecycleRuntimeAsync(string runtimeId, CancellationToken cancellationToken = default) =>
        inner.RecycleRuntimeAsync(runtimeId, cancellationToken);

    /// <inheritdoc />
    public Task<ResetReport> ResetRuntimeAsync(string runtimeId, CancellationToken cancellationToken = default) =>
        inner.ResetRuntimeAsync(runtimeId, cancellationToken);

    /// <inheritdoc />
    public Task<RecoveryReport> RecoverRuntimeAsync(string runtimeId, CancellationToken cancellationToken = default) =>
        inner.RecoverRuntimeAsync(runtimeId, cancellationToken);

    /// <inheritdoc />
    public Task<DestroyReport> DestroyRuntimeAsync(string runtimeId, CancellationToken cancellationToken = default) =>
        inner.DestroyRuntimeAsync(runtimeId, cancellationToken);

    /// <inheritdoc />
    public Task<BoundaryReceipt> GetBoundaryReceiptAsync(
        string runtimeId, string runId, long sequence, CancellationToken cancellationToken = default) =>
        inner.GetBoundaryReceiptAsync(runtimeId, runId, sequence, cancellationToken);

    /// <inheritdoc />
    public Task<PublishResult> PublishEventAsync(string runtimeId, ExternalEvent reported, CancellationToken cancellationToken = default) =>
        inner.PublishEventAsync(runtimeId, reported, cancellationToken);

    /// <inheritdoc />
    public Task ActivateAsync(string runtimeId, CancellationToken cancellationToken = default) =>
        inner.ActivateAsync(runtimeId, cancellationToken);

    /// <inheritdoc />
    public Task DeactivateAsync(string runtimeId, CancellationToken cancellationToken = default) =>
        inner.DeactivateAsync(runtimeId, cancellationToken);

    private void ThrowIfMissing(string destination)
    {
        if (destination.Length > 0 && port.GetAvailability(destination) == DestinationAvailability.Missing)
        {
            throw Fail.NotFound("DESTINATION_NOT_FOUND", $"no destination is named '{destination}'", ("destination", destination));
        }
    }
}
