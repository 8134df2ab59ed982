using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Runtime.Core.Delivery;
using Runtime.Core.Events;
using Runtime.Core.Hosting;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;
using Runtime.Storage.Sqlite;

namespace Runtime.Core.Tests.Support;

/// <summary>A host over a real SQLite file in a temp directory, with fake time and the in-process port.</summary>
internal sealed class HostFixture : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "runtime-core-tests", Guid.NewGuid().ToString("N"));
    private SqliteRuntimeStore? _store;

    private HostFixture(RuntimeHostOptions options, Func<FakeTimeProvider, TimeProvider>? clock)
    {
        Options = options;
        Clock = clock?.Invoke(Time) ?? Time;
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public InProcessDeliveryPort Port { get; } = new();

    public RecordingEvents Events { get; } = new();

    public RuntimeHostOptions Options { get; }

    /// <summary>The clock the host sees: <see cref="Time"/> itself unless a test wraps it.</summary>
    public TimeProvider Clock { get; }

    public RuntimeHost Host { get; private set; } = null!;

    /// <summary>Changes the store's settings (set it in <c>beforeOpen</c>).</summary>
    public Action<SqliteStoreOptions>? ConfigureStore { get; set; }

    /// <summary>The store, as it is now (a restart opens another).</summary>
    public SqliteRuntimeStore Store => _store ?? throw new InvalidOperationException("not open");

    /// <summary>The ledger's event log (the store), as it is now (a restart opens another).</summary>
    public IEventLog EventLog => _store ?? throw new InvalidOperationException("not open");

    public string DatabasePath => Path.Combine(_directory, "runtime.db");

    public static async Task<HostFixture> StartAsync(RuntimeHostOptions? options = null,
        Func<FakeTimeProvider, TimeProvider>? clock = null, Action<HostFixture>? beforeOpen = null)
    {
        var fixture = new HostFixture(options ?? new RuntimeHostOptions { IdleDeactivationDelay = TimeSpan.FromMinutes(10) }, clock);
        beforeOpen?.Invoke(fixture);
        await fixture.OpenAsync();
        return fixture;
    }

    /// <summary>Starts on a copy of an existing ledger file (made by an older version, say).</summary>
    public static Task<HostFixture> StartOnCopyAsync(string databaseFile, DateTimeOffset now) =>
        StartAsync(beforeOpen: f =>
        {
            Directory.CreateDirectory(f._directory);
            File.Copy(databaseFile, f.DatabasePath);
            f.Time.SetUtcNow(now);
        });

    /// <summary>Disposes the host and the store, then opens the same file again (a process restart).</summary>
    public async Task RestartAsync()
    {
        await CloseAsync();
        await OpenAsync();
    }

    public Task SettleAsync(string runtimeId) => Host.WhenSettledAsync(runtimeId).WaitAsync(Patience);

    public Task<RuntimeInfo> CreateAsync(string runtimeId, string destination = InProcessDeliveryPort.AcceptSink,
        RuntimePolicy? policy = null, Dictionary<string, string>? labels = null) =>
        Host.CreateRuntimeAsync(new RuntimeSpec
        {
            RuntimeId = runtimeId,
            Destination = destination,
            Policy = policy ?? RuntimePolicy.Default,
            Labels = labels ?? [],
        });

    public static InputSubmission Input(string payload, string key = "", string kind = "test") => new()
    {
        Payload = System.Text.Encoding.UTF8.GetBytes(payload),
        IdempotencyKey = key,
        Kind = kind,
    };

    /// <summary>Runs SQL against the database file directly (to inspect or corrupt it).</summary>
    public T Sql<T>(string sql, Func<SqliteDataReader, T> read)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        return read(reader);
    }

    public long Count(string sql) => Sql(sql, r => r.Read() ? r.GetInt64(0) : 0);

    /// <summary>How many inputs the journal holds (of one runtime, or of all).</summary>
    public long StoredInputCount(string? runtimeId = null) => Count(runtimeId is null
        ? "SELECT coalesce(sum(count), 0) FROM accepted"
        : $"SELECT coalesce(sum(count), 0) FROM accepted WHERE rk = (SELECT rk FROM runtimes WHERE id = '{runtimeId}')");

    /// <summary>
    /// Overwrites the stored state of a (server-id) input, as a crash or a bug could leave it, to corrupt or repair a
    /// ledger on purpose.
    /// </summary>
    public void SetStoredState(string runtimeId, string inputId, InputPhase phase, int attempts = 0, string lastRunId = "",
        long lastBoundary = 0)
    {
        Assert.True(TimeOrderedId.TryReadPosition(inputId, out var position));
        Execute("INSERT OR REPLACE INTO input_states (rk, position, phase, abandon_reason, attempts, recoveries, last_run_id, " +
                "last_boundary_seq, last_error, next_attempt_at, history, updated_at) " +
                $"SELECT rk, {position}, {(int)phase}, 0, {attempts}, 0, '{lastRunId}', {lastBoundary}, '', NULL, '0||0|accepted\n', 0 " +
                $"FROM runtimes WHERE id = '{runtimeId}'");
    }

    /// <summary>Writes an open run carrying these (server-id) inputs, as a crash could leave it.</summary>
    public void StoreOpenRun(string runtimeId, string runId, params string[] inputIds)
    {
        var positions = inputIds.Select(id => TimeOrderedId.TryReadPosition(id, out var p) ? p : throw new ArgumentException(id)).ToList();
        var blob = Convert.ToHexString(Runtime.Core.Storage.JournalCodec.WritePositions(positions));
        Execute("INSERT INTO runs (rk, run_id, status, positions, first_pos, last_pos, started_at, ended_at, error) " +
                $"SELECT rk, '{runId}', 1, X'{blob}', {positions.Min()}, {positions.Max()}, 0, NULL, '' FROM runtimes WHERE id = '{runtimeId}'");
    }

    public void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A reader may still hold the file for a moment on some systems; the temp directory is cleaned later.
        }
    }

    private async Task OpenAsync()
    {
        var storeOptions = new SqliteStoreOptions { DataDirectory = _directory };
        ConfigureStore?.Invoke(storeOptions);
        _store = new SqliteRuntimeStore(Microsoft.Extensions.Options.Options.Create(storeOptions), Time);
        _store.Listen(Events);
        Host = new RuntimeHost(_store, Port, Events, Clock, Microsoft.Extensions.Options.Options.Create(Options));
        await Host.StartAsync(CancellationToken.None);
    }

    private async Task CloseAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
            _store = null;
        }
    }
}

/// <summary>Keeps every event the ledger committed, in order, with its sequence.</summary>
internal sealed class RecordingEvents : IEventCategories, IEventLogListener
{
    public ConcurrentQueue<RuntimeEvent> Published { get; } = new();

    public ConcurrentQueue<SequencedEvent> Committed { get; } = new();

    public HashSet<EventCategory> Disabled { get; } = [];

    public bool IsEnabled(EventCategory category) => !Disabled.Contains(category);

    public void Opened(long lastSequence)
    {
    }

    void IEventLogListener.Committed(IReadOnlyList<SequencedEvent> events)
    {
        foreach (var committed in events)
        {
            Committed.Enqueue(committed);
            Published.Enqueue(committed.Event);
        }
    }
}
