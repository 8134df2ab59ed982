namespace Runtime.Storage.Sqlite;

/// <summary>How durable a commit is before it is acknowledged (SQLite's <c>PRAGMA synchronous</c> in WAL mode).</summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// The WAL is fsynced at every commit: an ACCEPTED answer survives power loss. About 6k commits/s on this kind of
    /// machine; group commit makes that thousands of inputs per commit, so throughput stays high.
    /// </summary>
    Full,

    /// <summary>
    /// The WAL is fsynced only at checkpoints: still safe against a process crash (SIGKILL), but a power loss or OS
    /// crash can lose the last commits. Roughly ten times the commit rate of <see cref="Full"/>.
    /// </summary>
    Normal,
}

/// <summary>Settings of the SQLite ledger (section <c>Runtime:Storage</c>).</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The data directory (<c>Runtime:DataDirectory</c>); created when missing.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The database file inside <see cref="DataDirectory"/>.</summary>
    public string FileName { get; set; } = "runtime.db";

    /// <summary>Durability of a commit; see <see cref="SqliteSynchronous"/> for the trade-off. Default: Full.</summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>Most appends the writer folds into one transaction.</summary>
    public int MaxAppendsPerTransaction { get; set; } = 512;

    /// <summary>Connections kept for readers (WAL lets them read while the writer writes).</summary>
    public int ReaderConnections { get; set; } = 4;

    /// <summary>
    /// How long runtime events are kept (by the time their commit was written); older ones are dropped, and a watcher
    /// resuming from before them gets a GAP. Default 7 days.
    /// </summary>
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Most runtime events kept, whatever their age; the oldest go first. Default 10,000,000.</summary>
    public long MaxRetainedEvents { get; set; } = 10_000_000;

    /// <summary>
    /// How often the store's maintenance runs: a WAL checkpoint on its own connection (so the writer never does one
    /// inside a commit) and a pass that drops events past retention.
    /// </summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));
}
