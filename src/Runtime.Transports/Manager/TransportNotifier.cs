using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Runtime.Core.Delivery;
using Runtime.Core.Events;
using Runtime.Transports.Destinations;

namespace Runtime.Transports.Manager;

/// <summary>
/// Reports topology changes (as <see cref="RuntimeEventKind.TransportChanged"/> events and logs) and availability
/// changes, in the order they happened, from one background loop: callers only enqueue, so nothing is raised
/// under a lock and a slow subscriber never holds up a send.
/// </summary>
internal sealed class TransportNotifier : IAsyncDisposable
{
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IEventCategories _categories;
    private readonly IEventLog? _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<DestinationAvailabilityChanged> _raiseAvailability;
    private readonly Task _loop;

    /// <summary>Starts the loop.</summary>
    public TransportNotifier(
        IEventCategories categories, IEventLog? events, TimeProvider time, ILogger logger, Action<DestinationAvailabilityChanged> raiseAvailability)
    {
        _categories = categories;
        _events = events;
        _time = time;
        _logger = logger;
        _raiseAvailability = raiseAvailability;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>A wire changed state.</summary>
    public void WireChanged(string destination, WireDefinition wire, WireState state, string change, string? error)
    {
        var attributes = new Dictionary<string, string>
        {
            ["change"] = change,
            ["wire"] = wire.Address,
            ["wire_kind"] = DestinationValidator.KindName(wire.Kind),
            ["priority"] = wire.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["state"] = StateName(state),
        };
        if (error is not null)
        {
            attributes["error"] = error;
        }

        Enqueue(destination, error, attributes);
    }

    /// <summary>A destination as a whole changed (created, deleted, available, unavailable).</summary>
    public void DestinationChanged(string destination, string change, string? error = null)
    {
        var attributes = new Dictionary<string, string> { ["change"] = change };
        if (error is not null)
        {
            attributes["error"] = error;
        }

        Enqueue(destination, error, attributes);
    }

    /// <summary>A destination's availability changed.</summary>
    public void AvailabilityChanged(string destination, DestinationAvailability availability) =>
        _queue.Writer.TryWrite(new DestinationAvailabilityChanged(destination, availability));

    /// <summary>Reports what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    /// <summary>The upper-case name used in events and the API (<c>READY</c>, <c>FAILED</c>, ...).</summary>
    public static string StateName(WireState state) => state.ToString().ToUpperInvariant();

    private void Enqueue(string destination, string? error, Dictionary<string, string> attributes) =>
        _queue.Writer.TryWrite(new RuntimeEvent
        {
            Kind = RuntimeEventKind.TransportChanged,
            Time = _time.GetUtcNow(),
            Destination = destination,
            Reason = error,
            Attributes = attributes,
        });

    private async Task RunAsync()
    {
        await foreach (var item in _queue.Reader.ReadAllAsync())
        {
            try
            {
                if (item is RuntimeEvent change)
                {
                    Log(change);
                    if (_events is not null && _categories.IsEnabled(EventCategory.Transport))
                    {
                        // Not awaited: the log keeps the order, and availability reports must not wait for a commit.
                        _ = WriteAsync(_events, change);
                    }
                }
                else if (item is DestinationAvailabilityChanged availability)
                {
                    _raiseAvailability(availability);
                }
            }
            catch (Exception ex)
            {
                // A failing subscriber must not stop the reports to the others.
                _logger.LogError(ex, "Reporting a transport change failed");
            }
        }
    }

    private async Task WriteAsync(IEventLog events, RuntimeEvent change)
    {
        try
        {
            await events.AppendAsync([change], CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "The transport event of destination {Destination} could not be written to the event log", change.Destination);
        }
    }

    private void Log(RuntimeEvent change)
    {
        var attributes = change.Attributes!;
        var what = attributes["change"];
        var level = what is "failed" or "unavailable" ? LogLevel.Warning : LogLevel.Information;
        if (attributes.TryGetValue("wire", out var wire))
        {
            _logger.Log(level, "Destination {Destination} wire {Wire} {Change} ({State}){Error}",
                change.Destination, wire, what, attributes["state"], change.Reason is null ? "" : ": " + change.Reason);
        }
        else
        {
            _logger.Log(level, "Destination {Destination} {Change}", change.Destination, what);
        }
    }
}
