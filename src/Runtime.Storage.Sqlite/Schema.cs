using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Runtime.Storage.Sqlite;

/// <summary>
/// The schema, versioned with <c>PRAGMA user_version</c>. Version 2 is the journal of turns:
/// <list type="bullet">
/// <item><c>journal</c>: one row per group commit, the Accepted records (every new input, whole) of its appends.</item>
/// <item><c>turns</c>: one row per append, keyed (runtime, ledger sequence): the fencing key and the audit trail.</item>
/// <item><c>accepted</c>: where each accept turn's inputs are (first position, count → journal row, offset, length).</item>
/// <item><c>runs</c>: one row per run, its inputs as position ranges, with its boundary receipt once applied.</item>
/// <item><c>input_keys</c>: idempotency keys and client-chosen ids → position (server ids carry their position).</item>
/// <item><c>input_states</c>: the sparse exceptions, the whole state of each input off the common path.</item>
/// <item><c>events</c>: one row per group commit that produced runtime events, the events in sequence order from
/// <c>first_seq</c> on (the global sequence is given at commit, so it is commit order), with the commit's time so
/// retention drops them by range.</item>
/// <item><c>store_values</c>: single numbers the store keeps (the last event sequence given before this ledger's first).</item>
/// <item><c>documents</c>: small named documents of other areas (destination definitions), see <c>IDocumentStore</c>.</item>
/// </list>
/// An input on the common path has no row of its own: its state is derived (see <c>Runtime.Core.Storage.CommonPath</c>).
/// A version 1 ledger (one mutable row per input) is migrated in place on first open (<see cref="LedgerV1Migration"/>).
/// </summary>
internal static class Schema
{
    /// <summary>The version this build writes.</summary>
    public const int CurrentVersion = 2;

    public const string Tables =
        """
        CREATE TABLE runtimes (
            rk INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            state INTEGER NOT NULL,
            destination TEXT NOT NULL,
            policy TEXT NOT NULL,
            labels TEXT NOT NULL,
            retiring INTEGER NOT NULL,
            counts TEXT NOT NULL,
            ledger_seq INTEGER NOT NULL,
            owner_epoch INTEGER NOT NULL,
            boundary_seq INTEGER NOT NULL,
            next_position INTEGER NOT NULL,
            live_floor INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL);
        CREATE TABLE journal (
            jk INTEGER PRIMARY KEY,
            body BLOB NOT NULL);
        CREATE TABLE turns (
            rk INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            epoch INTEGER NOT NULL,
            kind TEXT NOT NULL,
            at INTEGER NOT NULL,
            PRIMARY KEY (rk, seq)) WITHOUT ROWID;
        CREATE TABLE accepted (
            rk INTEGER NOT NULL,
            first_pos INTEGER NOT NULL,
            count INTEGER NOT NULL,
            jk INTEGER NOT NULL,
            offset INTEGER NOT NULL,
            length INTEGER NOT NULL,
            PRIMARY KEY (rk, first_pos)) WITHOUT ROWID;
        CREATE TABLE runs (
            rk INTEGER NOT NULL,
            run_id TEXT NOT NULL,
            status INTEGER NOT NULL,
            positions BLOB NOT NULL,
            first_pos INTEGER NOT NULL,
            last_pos INTEGER NOT NULL,
            started_at INTEGER NOT NULL,
            ended_at INTEGER,
            error TEXT NOT NULL,
            receipt_seq INTEGER,
            digest TEXT,
            receipt_at INTEGER,
            PRIMARY KEY (rk, run_id)) WITHOUT ROWID;
        CREATE INDEX runs_open ON runs (rk) WHERE status < 2;
        CREATE INDEX runs_by_last_position ON runs (rk, last_pos);
        CREATE TABLE input_keys (
            rk INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            key TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (rk, kind, key)) WITHOUT ROWID;
        CREATE TABLE input_states (
            rk INTEGER NOT NULL,
            position INTEGER NOT NULL,
            phase INTEGER NOT NULL,
            abandon_reason INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            recoveries INTEGER NOT NULL,
            last_run_id TEXT NOT NULL,
            last_boundary_seq INTEGER NOT NULL,
            last_error TEXT NOT NULL,
            next_attempt_at INTEGER,
            history TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (rk, position)) WITHOUT ROWID;
        CREATE TABLE events (
            first_seq INTEGER PRIMARY KEY,
            count INTEGER NOT NULL,
            at INTEGER NOT NULL,
            body BLOB NOT NULL);
        CREATE TABLE store_values (
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE documents (
            collection TEXT NOT NULL,
            key TEXT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (collection, key)) WITHOUT ROWID;
        """;

    /// <summary>
    /// Earlier versions kept destination definitions in a table of their own in this file, written by a second
    /// connection; they move into <c>documents</c> (collection <c>destinations</c>) in the shape Runtime.Transports'
    /// document store reads: <c>{"wires": [...], "createTime": unix ms}</c>.
    /// </summary>
    private const string MoveLegacyDestinations =
        """
        INSERT OR REPLACE INTO documents (collection, key, body)
            SELECT 'destinations', name, json_object('wires', json(wires), 'createTime', create_time) FROM transport_destinations;
        DROP TABLE transport_destinations;
        """;

    /// <summary>
    /// Where earlier versions kept the event sequence's high-water mark (the first sequence not yet handed out), in the
    /// data directory: a ledger created or migrated next to one continues above it, so no watcher's resume point is reused.
    /// </summary>
    public const string LegacySequenceFile = "event-sequence";

    /// <summary>Brings the database to <see cref="CurrentVersion"/>: creates it, or migrates a version 1 ledger.</summary>
    public static void Migrate(SqliteConnection connection, string dataDirectory)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The database has schema version {version}, newer than this build understands ({CurrentVersion}).");
        }

        if (version == CurrentVersion)
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        if (version == 0)
        {
            Execute(connection, transaction, Tables);
        }
        else
        {
            LedgerV1Migration.Run(connection, transaction);
        }

        if (HasTable(connection, transaction, "transport_destinations"))
        {
            Execute(connection, transaction, MoveLegacyDestinations);
        }

        if (LegacyEventFloor(dataDirectory) is { } floor)
        {
            Execute(connection, transaction,
                $"INSERT OR REPLACE INTO store_values (name, value) VALUES ('event_floor', {floor.ToString(CultureInfo.InvariantCulture)});");
        }

        Execute(connection, transaction, $"PRAGMA user_version = {CurrentVersion};");
        transaction.Commit();
    }

    /// <summary>The key the next journal row gets.</summary>
    public static long NextJournalKey(SqliteConnection connection) =>
        Convert.ToInt64(Scalar(connection, "SELECT coalesce(max(jk), 0) + 1 FROM journal"), CultureInfo.InvariantCulture);

    /// <summary>The last event sequence committed, or given before this ledger's first (0 for none).</summary>
    public static long LastEventSequence(SqliteConnection connection) =>
        Convert.ToInt64(Scalar(connection,
            "SELECT max(coalesce((SELECT first_seq + count - 1 FROM events ORDER BY first_seq DESC LIMIT 1), 0), " +
            "coalesce((SELECT value FROM store_values WHERE name = 'event_floor'), 0))"), CultureInfo.InvariantCulture);

    private static long? LegacyEventFloor(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, LegacySequenceFile);
        return File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var next) && next > 1
            ? next - 1
            : null;
    }

    private static bool HasTable(SqliteConnection connection, SqliteTransaction transaction, string name)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", name);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    internal static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
