using Microsoft.Data.Sqlite;

namespace Runtime.Storage.Sqlite;

/// <summary>
/// The schema and its migrations, versioned with <c>PRAGMA user_version</c>: each step runs once, in order, in its
/// own transaction.
/// <para>
/// Inputs live in a rowid table whose rowid is <c>(runtime key &lt;&lt; 32) | position</c>, so one runtime's inputs are
/// contiguous and in accept order without another index. A partial index holds only non-terminal rows (phase &lt; 5),
/// which is what recovery reads; the idempotency index is partial too (only keyed inputs).
/// </para>
/// </summary>
internal static class Schema
{
    private static readonly string[] Migrations =
    [
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
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL);
        CREATE TABLE ledger (
            rk INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            epoch INTEGER NOT NULL,
            kind TEXT NOT NULL,
            inputs INTEGER NOT NULL,
            at INTEGER NOT NULL,
            PRIMARY KEY (rk, seq)) WITHOUT ROWID;
        CREATE TABLE inputs (
            key INTEGER PRIMARY KEY,
            rk INTEGER NOT NULL,
            id TEXT NOT NULL,
            kind TEXT NOT NULL,
            payload BLOB,
            content_type TEXT NOT NULL,
            headers BLOB,
            idem_key TEXT,
            idem_hash BLOB,
            supersession_key TEXT,
            coalesce_key TEXT,
            priority INTEGER NOT NULL,
            payload_type INTEGER NOT NULL,
            consume_point INTEGER,
            max_attempts INTEGER,
            phase INTEGER NOT NULL,
            abandon_reason INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            recoveries INTEGER NOT NULL,
            last_run_id TEXT NOT NULL,
            last_boundary_seq INTEGER NOT NULL,
            last_error TEXT NOT NULL,
            next_attempt_at INTEGER,
            history TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL);
        CREATE UNIQUE INDEX inputs_by_id ON inputs (rk, id);
        CREATE UNIQUE INDEX inputs_by_idempotency_key ON inputs (rk, idem_key) WHERE idem_key IS NOT NULL;
        CREATE INDEX inputs_live ON inputs (rk) WHERE phase < 5;
        CREATE TABLE receipts (
            rk INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            run_id TEXT NOT NULL,
            input_ids TEXT NOT NULL,
            digest TEXT NOT NULL,
            at INTEGER NOT NULL,
            PRIMARY KEY (rk, seq)) WITHOUT ROWID;
        CREATE TABLE runs (
            rk INTEGER NOT NULL,
            run_id TEXT NOT NULL,
            status INTEGER NOT NULL,
            input_ids TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            ended_at INTEGER,
            error TEXT NOT NULL,
            PRIMARY KEY (rk, run_id)) WITHOUT ROWID;
        CREATE INDEX runs_open ON runs (rk) WHERE status < 2;
        """,
    ];

    /// <summary>The version a fully migrated database has.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Runs the migrations the database has not seen yet.</summary>
    public static void Migrate(SqliteConnection connection)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The database has schema version {version}, newer than this build understands ({CurrentVersion}).");
        }

        for (var step = version; step < Migrations.Length; step++)
        {
            using var transaction = connection.BeginTransaction();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = Migrations[step] + $"\nPRAGMA user_version = {step + 1};";
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
