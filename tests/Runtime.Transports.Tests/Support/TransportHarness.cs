using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Runtime.Core.Delivery;
using Runtime.Storage.Sqlite;
using Runtime.Transports.Destinations;
using Runtime.Transports.Manager;
using Runtime.Transports.Storage;
using Runtime.Transports.Wires;
using Runtime.Transports.Wires.InProcess;

namespace Runtime.Transports.Tests.Support;

/// <summary>
/// A started transport manager keeping its definitions in a real ledger store over a temporary directory, with fake
/// time and recorded events.
/// </summary>
internal sealed class TransportHarness : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private SqliteRuntimeStore? _store;
    private readonly List<DestinationAvailabilityChanged> _availability = [];
    private readonly List<(Func<DestinationAvailabilityChanged, bool> Match, TaskCompletionSource Done)> _waiters = [];

    private TransportHarness(string directory, TransportOptions options, IInProcessSinks sinks, Func<string, int> bound)
    {
        Directory = directory;
        Options = options;
        Sinks = sinks;
        Bound = bound;
        Manager = CreateManager();
    }

    /// <summary>The temporary directory holding the database.</summary>
    public string Directory { get; }

    /// <summary>The database file.</summary>
    public string DatabasePath => Path.Combine(Directory, "runtime.db");

    /// <summary>Fake time: timeouts, retry times and health checks move only when a test advances it.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Published topology events.</summary>
    public RecordingEvents Events { get; } = new();

    /// <summary>The settings the manager runs with.</summary>
    public TransportOptions Options { get; }

    /// <summary>The in-process sinks.</summary>
    public IInProcessSinks Sinks { get; }

    /// <summary>Bound runtime count per destination.</summary>
    public Func<string, int> Bound { get; set; }

    /// <summary>The manager under test.</summary>
    public TransportManager Manager { get; private set; }

    /// <summary>Creates and starts a harness.</summary>
    public static async Task<TransportHarness> StartAsync(
        Action<TransportOptions>? configure = null,
        IReadOnlyDictionary<string, IInProcessSink>? sinks = null)
    {
        var options = new TransportOptions
        {
            HealthCheckInterval = TimeSpan.FromSeconds(1),
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(400),
            MaxReconnectBackoff = TimeSpan.FromSeconds(4),
            DeliveryTimeout = TimeSpan.FromSeconds(30),
        };
        configure?.Invoke(options);
        var directory = Path.Combine(Path.GetTempPath(), "runtime-transports-" + Guid.NewGuid().ToString("N"));
        var harness = new TransportHarness(
            directory, options, new InProcessSinkRegistry(sinks ?? new Dictionary<string, IInProcessSink>()), _ => 0);
        await harness.Manager.StartAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>Disposes the manager and its store and starts new ones over the same database (a process restart).</summary>
    public async Task RestartManagerAsync()
    {
        await Manager.DisposeAsync();
        await _store!.DisposeAsync();
        Manager = CreateManager();
        await Manager.StartAsync(CancellationToken.None);
    }

    /// <summary>Creates a destination.</summary>
    public Task<DestinationStatus> CreateAsync(string name, params WireDefinition[] wires) =>
        Manager.CreateDestinationAsync(name, wires, CancellationToken.None);

    /// <summary>Delivers a run of one reliable input.</summary>
    public ValueTask<DeliveryResult> DeliverAsync(string destination, string inputId, PayloadType type = PayloadType.RpcReliable) =>
        Manager.DeliverAsync(Runs.Of(destination, "rt-1", inputId, type), CancellationToken.None);

    /// <summary>The first availability change (seen or coming) that matches.</summary>
    public Task WaitForAvailabilityAsync(string destination, DestinationAvailability availability)
    {
        lock (_lock)
        {
            bool Match(DestinationAvailabilityChanged c) => c.Destination == destination && c.Availability == availability;
            if (_availability.Any(Match))
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((Match, done));
            return done.Task.WaitAsync(Bounded.Timeout);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Manager.DisposeAsync();
        await _store!.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private TransportManager CreateManager()
    {
        _store = new SqliteRuntimeStore(Microsoft.Extensions.Options.Options.Create(new SqliteStoreOptions { DataDirectory = Directory }), Time);
        var manager = new TransportManager(
            new DocumentDestinationStore(_store),
            new WireDialer(Options, Sinks, Time),
            new DestinationBindings(name => Bound(name)),
            Events,
            Events.Log,
            Microsoft.Extensions.Options.Options.Create(Options),
            Time,
            NullLogger<TransportManager>.Instance,
            Sinks);
        manager.AvailabilityChanged += (_, change) =>
        {
            lock (_lock)
            {
                _availability.Add(change);
                foreach (var waiter in _waiters.Where(w => w.Match(change)).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Done.TrySetResult();
                }
            }
        };
        return manager;
    }
}
