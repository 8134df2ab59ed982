using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Runtime.Core.Delivery;
using Runtime.Core.Errors;
using Runtime.Core.Events;
using Runtime.Transports.Destinations;
using Runtime.Transports.Storage;
using Runtime.Transports.Wires;
using Runtime.Transports.Wires.InProcess;

namespace Runtime.Transports.Manager;

/// <summary>
/// Delivers runs to destinations over the wires it manages (the network side of <see cref="IDeliveryPort"/>) and
/// keeps the destination catalog. Connections are made lazily on a destination's first send; a health checker on
/// <see cref="TimeProvider"/> re-dials failed wires with exponential backoff and jitter. Start it (loads the stored
/// definitions, starts the health checker) before use; disposing it closes every connection.
/// </summary>
public sealed class TransportManager : IDeliveryPort, IDestinationCatalog, IHostedService, IAsyncDisposable
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    private readonly ConcurrentDictionary<string, DestinationTransport> _destinations = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly IDestinationStore _store;
    private readonly IDestinationBindings _bindings;
    private readonly IInProcessSinks? _inProcessSinks;
    private readonly TransportOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TransportNotifier _notifier;
    private readonly WireContext _context;
    private Task _healthChecker = Task.CompletedTask;
    private int _disposed;

    /// <summary>Creates the manager; call <see cref="StartAsync"/> before use.</summary>
    /// <param name="store">Where definitions are kept.</param>
    /// <param name="dialer">Opens wire connections (<see cref="WireDialer"/>).</param>
    /// <param name="bindings">Counts the live runtimes bound to a destination (deletion is refused while any is).</param>
    /// <param name="categories">Whether transport events are produced.</param>
    /// <param name="events">The event log topology changes are written to (null: they are only logged).</param>
    /// <param name="options">Timeouts, limits, health checker settings.</param>
    /// <param name="time">The clock for timeouts, retry times and the health checker.</param>
    /// <param name="logger">Logs topology changes.</param>
    /// <param name="inProcessSinks">When given, <c>inproc</c> wires must name one of its sinks.</param>
    public TransportManager(
        IDestinationStore store,
        IWireDialer dialer,
        IDestinationBindings bindings,
        IEventCategories categories,
        IEventLog? events,
        IOptions<TransportOptions> options,
        TimeProvider time,
        ILogger<TransportManager> logger,
        IInProcessSinks? inProcessSinks = null)
    {
        options.Value.Validate();
        _store = store;
        _bindings = bindings;
        _inProcessSinks = inProcessSinks;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _notifier = new TransportNotifier(categories, events, time, logger, RaiseAvailabilityChanged);
        _context = new WireContext(dialer, _options, time, _notifier, _shutdown.Token);
    }

    /// <inheritdoc />
    public event EventHandler<DestinationAvailabilityChanged>? AvailabilityChanged;

    /// <summary>Loads the stored destinations and starts the health checker.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var definition in await _store.LoadAllAsync(cancellationToken))
        {
            _destinations[definition.Name] = new DestinationTransport(definition, _context);

            // Runtimes recovered before the manager started saw the destination missing: tell them it is back.
            _notifier.AvailabilityChanged(definition.Name, DestinationAvailability.Available);
        }

        _logger.LogInformation("Transport manager started with {Count} destinations", _destinations.Count);
        _healthChecker = Task.Run(() => RunHealthCheckerAsync(_shutdown.Token), CancellationToken.None);
    }

    /// <summary>Stops the health checker and closes every connection (definitions are kept).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _shutdown.CancelAsync();
        await _healthChecker;
        await CloseAllAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(CancellationToken.None);
        await _notifier.DisposeAsync();
        _shutdown.Dispose();
        _changes.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask<DeliveryResult> DeliverAsync(RunDelivery run, CancellationToken cancellationToken)
    {
        if (_shutdown.IsCancellationRequested)
        {
            return new DeliveryResult(DeliveryStatus.RetryableFailure, "the transport manager is shutting down");
        }

        if (!_destinations.TryGetValue(run.Destination, out var destination))
        {
            // Retryable: the destination may be (re)created; the runtime's attempt limit bounds the retries.
            return new DeliveryResult(DeliveryStatus.RetryableFailure, $"no destination is named '{run.Destination}'");
        }

        return await destination.DeliverAsync(run, cancellationToken);
    }

    /// <inheritdoc />
    public DestinationAvailability GetAvailability(string destination) =>
        _destinations.TryGetValue(destination, out var transport) ? transport.Availability : DestinationAvailability.Missing;

    /// <inheritdoc />
    public async Task<DestinationStatus> CreateDestinationAsync(
        string name, IReadOnlyList<WireDefinition> wires, CancellationToken cancellationToken)
    {
        var definition = DestinationValidator.Validate(name, wires, _time.GetUtcNow(), _inProcessSinks);
        await _changes.WaitAsync(cancellationToken);
        try
        {
            if (_destinations.TryGetValue(name, out var existing))
            {
                return existing.Definition.SameShapeAs(definition)
                    ? Status(existing, await BoundAsync([name], cancellationToken))
                    : throw Fail.AlreadyExists("DESTINATION_ALREADY_EXISTS",
                        $"a different destination named '{name}' already exists", ("destination", name));
            }

            await _store.UpsertAsync(definition, cancellationToken);
            var transport = new DestinationTransport(definition, _context);
            _destinations[name] = transport;
            _notifier.DestinationChanged(name, "created");
            _notifier.AvailabilityChanged(name, DestinationAvailability.Available);
            return Status(transport, await BoundAsync([name], cancellationToken));
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <inheritdoc />
    public async Task<DestinationStatus> GetDestinationAsync(string name, CancellationToken cancellationToken)
    {
        var transport = Find(name);
        return Status(transport, await BoundAsync([name], cancellationToken));
    }

    /// <inheritdoc />
    public bool HasDestination(string name) => _destinations.ContainsKey(name);

    /// <inheritdoc />
    public async Task<DestinationPage> ListDestinationsAsync(int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        if (pageSize < 0)
        {
            throw Fail.InvalidField("page_size", "must not be negative");
        }

        // Larger pages are capped (AIP-158), as every list does.
        var size = pageSize == 0 ? DefaultPageSize : Math.Min(pageSize, MaxPageSize);
        var after = DecodePageToken(pageToken);
        var page = _destinations.Values
            .Where(d => after is null || string.CompareOrdinal(d.Definition.Name, after) > 0)
            .OrderBy(d => d.Definition.Name, StringComparer.Ordinal)
            .Take(size + 1)
            .ToList();
        var more = page.Count > size;
        if (more)
        {
            page.RemoveAt(size);
        }

        var bound = await BoundAsync([.. page.Select(d => d.Definition.Name)], cancellationToken);
        return new DestinationPage(
            [.. page.Select(d => Status(d, bound))],
            more ? EncodePageToken(page[^1].Definition.Name) : "");
    }

    /// <inheritdoc />
    public async Task<CloseDestinationResult> CloseDestinationAsync(string name, CancellationToken cancellationToken)
    {
        var transport = Find(name);
        var closed = await transport.CloseAsync(remove: false);
        return new CloseDestinationResult(Status(transport, await BoundAsync([name], cancellationToken)), closed);
    }

    /// <inheritdoc />
    public async Task DeleteDestinationAsync(string name, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            var transport = Find(name);
            var bound = (await BoundAsync([name], cancellationToken))[name];
            if (bound > 0)
            {
                throw Fail.Precondition("DESTINATION_IN_USE",
                    $"destination '{name}' is bound to {bound} live runtimes",
                    ("destination", name), ("bound_runtimes", bound.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            await _store.DeleteAsync(name, cancellationToken);
            _destinations.TryRemove(name, out _);
            await transport.CloseAsync(remove: true);
            _notifier.DestinationChanged(name, "deleted");
            _notifier.AvailabilityChanged(name, DestinationAvailability.Missing);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Closes every destination's connections (definitions are kept; the next send reconnects).</summary>
    public async Task<int> CloseAllAsync()
    {
        var closed = 0;
        foreach (var transport in _destinations.Values)
        {
            closed += await transport.CloseAsync(remove: false);
        }

        return closed;
    }

    /// <summary>One pass of the health checker: re-dials every failed wire whose retry time has come.</summary>
    internal Task CheckHealthAsync()
    {
        var now = _time.GetUtcNow();
        return Task.WhenAll(_destinations.Values.Select(d => d.RedialDueWiresAsync(now)));
    }

    private async Task RunHealthCheckerAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.HealthCheckInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await CheckHealthAsync();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private DestinationTransport Find(string name)
    {
        DestinationValidator.ThrowIfInvalidName(name);
        return _destinations.TryGetValue(name, out var transport)
            ? transport
            : throw Fail.NotFound("DESTINATION_NOT_FOUND", $"no destination is named '{name}'", ("destination", name));
    }

    private ValueTask<IReadOnlyDictionary<string, int>> BoundAsync(
        IReadOnlyCollection<string> names, CancellationToken cancellationToken) =>
        _bindings.CountBoundRuntimesAsync(names, cancellationToken);

    private static DestinationStatus Status(DestinationTransport transport, IReadOnlyDictionary<string, int> bound) =>
        transport.Snapshot(bound.GetValueOrDefault(transport.Definition.Name));

    private void RaiseAvailabilityChanged(DestinationAvailabilityChanged change) => AvailabilityChanged?.Invoke(this, change);

    private static string EncodePageToken(string lastName) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastName));

    private static string? DecodePageToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var name = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (DestinationValidator.IsValidName(name))
            {
                return name;
            }
        }
        catch (FormatException)
        {
            // Reported below.
        }

        throw Fail.InvalidField("page_token", "is not a token this service issued", "INVALID_PAGE_TOKEN");
    }
}
