using Runtime.Core.Delivery;
using Runtime.Transports.Destinations;
using Runtime.Transports.Wires;

namespace Runtime.Transports.Manager;

/// <summary>
/// One wire of one destination: its connection (at most one at a time), state, counters and in-flight gate.
/// Dials are single flight: concurrent callers share one attempt and its outcome.
/// </summary>
internal sealed class WireSlot
{
    private readonly Lock _lock = new();
    private readonly WireContext _context;
    private readonly LaneGate _gate;
    private readonly Action _settled;
    private WireState _state = WireState.Idle;
    private IWireConnection? _connection;
    private Task? _dialing;
    private int _generation;
    private bool _disposed;
    private string? _lastError;
    private int _reconnectAttempts;
    private long _reconnects;
    private DateTimeOffset? _nextRetry;
    private long _sent;
    private long _acked;
    private long _failed;
    private long _dropped;

    /// <summary>Creates the slot of <paramref name="wire"/>; <paramref name="settled"/> runs after each state change.</summary>
    public WireSlot(string destination, WireDefinition wire, WireContext context, Action settled)
    {
        Destination = destination;
        Wire = wire;
        _context = context;
        _settled = settled;
        _gate = new LaneGate(context.Options.MaxInFlightPerWire, context.Options.LatencyFirstBacklog);
    }

    /// <summary>The destination's name.</summary>
    public string Destination { get; }

    /// <summary>The wire as defined.</summary>
    public WireDefinition Wire { get; }

    /// <summary>Its live state.</summary>
    public WireState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>When a failed wire may be re-dialled; null unless failed.</summary>
    public DateTimeOffset? NextRetry
    {
        get
        {
            lock (_lock)
            {
                return _state == WireState.Failed ? _nextRetry : null;
            }
        }
    }

    /// <summary>Failed, and its retry time has come.</summary>
    public bool IsDue(DateTimeOffset now)
    {
        lock (_lock)
        {
            return _state == WireState.Failed && (_nextRetry is null || _nextRetry <= now);
        }
    }

    /// <summary>
    /// Connects unless ready; joins an attempt already under way. Never throws: the outcome is the new state.
    /// </summary>
    public Task DialAsync()
    {
        TaskCompletionSource dial;
        int generation;
        bool recovering;
        lock (_lock)
        {
            if (_dialing is not null)
            {
                return _dialing;
            }

            if (_state == WireState.Ready || _disposed)
            {
                return Task.CompletedTask;
            }

            dial = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _dialing = dial.Task;
            generation = _generation;
            recovering = _state == WireState.Failed;
            Transition(WireState.Connecting, "connecting", _lastError);
        }

        _settled();
        _ = CompleteDialAsync(dial, generation, recovering);
        return dial.Task;
    }

    /// <summary>Sends one run on this wire, waiting in its lane for an in-flight slot.</summary>
    public async ValueTask<WireOutcome> SendAsync(RunDelivery run, Lane lane, CancellationToken cancellationToken)
    {
        var timeout = _context.Options.DeliveryTimeout;
        using var deadline = new CancellationTokenSource(timeout, _context.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var entered = false;
        try
        {
            entered = await _gate.EnterAsync(lane, linked.Token);
            if (!entered)
            {
                Interlocked.Increment(ref _dropped);
                return WireOutcome.Answered(new DeliveryResult(DeliveryStatus.Dropped, "dropped under pressure: the wire is at its in-flight limit"));
            }

            IWireConnection? connection;
            lock (_lock)
            {
                connection = _state == WireState.Ready ? _connection : null;
            }

            if (connection is null)
            {
                return WireOutcome.Lost("the wire is not connected");
            }

            Interlocked.Increment(ref _sent);
            var outcome = await connection.SendAsync(run, linked.Token);
            Count(outcome.Result.Status);
            if (outcome.ConnectionLost)
            {
                await FailAsync(connection, outcome.Result.Error ?? "the connection was lost");
            }

            return outcome;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failed);
            return WireOutcome.Answered(new DeliveryResult(
                DeliveryStatus.RetryableFailure, $"no answer within the delivery timeout ({timeout})"));
        }
        finally
        {
            if (entered)
            {
                _gate.Release();
            }
        }
    }

    /// <summary>Drops the connection and goes back to idle (the next send re-dials). True if one was open.</summary>
    public async ValueTask<bool> CloseAsync(bool dispose = false)
    {
        IWireConnection? connection;
        lock (_lock)
        {
            connection = _connection;
            _connection = null;
            _dialing = null;
            _generation++;
            _disposed |= dispose;
            _reconnectAttempts = 0;
            _nextRetry = null;
            if (_state != WireState.Idle)
            {
                Transition(WireState.Idle, dispose ? "removed" : "closed", null);
            }
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        _settled();
        return connection is not null;
    }

    /// <summary>A consistent copy of state and counters.</summary>
    public WireStatus Snapshot()
    {
        lock (_lock)
        {
            return new WireStatus(
                Wire,
                _state,
                _lastError,
                _reconnectAttempts,
                _state == WireState.Failed ? _nextRetry : null,
                Interlocked.Read(ref _sent),
                Interlocked.Read(ref _acked),
                Interlocked.Read(ref _failed),
                Interlocked.Read(ref _dropped),
                _connection?.InFlight ?? 0,
                _reconnects);
        }
    }

    private async Task CompleteDialAsync(TaskCompletionSource dial, int generation, bool recovering)
    {
        IWireConnection? connection = null;
        string? error = null;
        try
        {
            using var timeout = new CancellationTokenSource(_context.Options.ConnectTimeout, _context.Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _context.Shutdown);
            try
            {
                connection = await _context.Dialer.DialAsync(Wire, linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                error = $"connect timed out after {_context.Options.ConnectTimeout}";
            }
            catch (Exception ex)
            {
                error = WireErrors.Describe("connect failed", ex);
            }

            var stale = false;
            lock (_lock)
            {
                if (generation != _generation || _disposed)
                {
                    // Closed while dialling: the attempt no longer counts.
                    stale = true;
                }
                else if (connection is not null)
                {
                    _connection = connection;
                    _reconnectAttempts = 0;
                    _nextRetry = null;
                    _lastError = null;
                    _reconnects += recovering ? 1 : 0;
                    Transition(WireState.Ready, recovering ? "reconnected" : "connected", null);
                }
                else
                {
                    _reconnectAttempts++;
                    _nextRetry = _context.Time.GetUtcNow() + ReconnectBackoff.Next(_context.Options, _reconnectAttempts);
                    _lastError = error;
                    Transition(WireState.Failed, "failed", error);
                }

                if (generation == _generation)
                {
                    _dialing = null;
                }
            }

            if (stale)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }
            else if (connection is not null)
            {
                _ = WatchAsync(connection);
            }

            _settled();
        }
        finally
        {
            dial.TrySetResult();
        }
    }

    private async Task WatchAsync(IWireConnection connection)
    {
        var reason = await connection.Broken;
        await FailAsync(connection, reason);
    }

    private async Task FailAsync(IWireConnection connection, string reason)
    {
        lock (_lock)
        {
            if (_connection != connection)
            {
                return;
            }

            _connection = null;
            _lastError = reason;
            _nextRetry = _context.Time.GetUtcNow() + ReconnectBackoff.Next(_context.Options, 0);
            Transition(WireState.Failed, "failed", reason);
        }

        await connection.DisposeAsync();
        _settled();
    }

    private void Count(DeliveryStatus status)
    {
        if (status == DeliveryStatus.Acked)
        {
            Interlocked.Increment(ref _acked);
        }
        else
        {
            Interlocked.Increment(ref _failed);
        }
    }

    // Called under _lock so the events of one wire are published in the order its state changed.
    private void Transition(WireState state, string change, string? error)
    {
        _state = state;
        _context.Notifier.WireChanged(Destination, Wire, state, change, error);
    }
}
