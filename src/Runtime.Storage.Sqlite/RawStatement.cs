using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Runtime.Storage.Sqlite;

/// <summary>
/// A statement prepared once on the writer's connection and bound by position. The hot write path uses SQLite's own
/// API because binding parameters by name on every execution costs more than the insert itself; blobs and text are
/// bound straight from spans, without copies.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(sqlite3 db, string sql)
    {
        _db = db;
        Check(raw.sqlite3_prepare_v2(db, sql, out _statement));
    }

    public RawStatement Int(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    public RawStatement Text(int index, string value) => TextSpan(index, value);

    /// <summary>
    /// Binds text; an empty value binds NULL (an empty span pins to a null pointer anyway), so statements wrap
    /// NOT NULL text columns in <c>coalesce(?N, '')</c>.
    /// </summary>
    public RawStatement TextSpan(int index, ReadOnlySpan<char> value)
    {
        Check(value.IsEmpty ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text16(_statement, index, value));
        return this;
    }

    /// <summary>Binds NULL for an empty string (optional keys, so partial indexes stay small).</summary>
    public RawStatement TextOrNull(int index, string value) =>
        value.Length == 0 ? Null(index) : Text(index, value);

    public RawStatement Blob(int index, ReadOnlySpan<byte> value)
    {
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, index, 0) : raw.sqlite3_bind_blob(_statement, index, value));
        return this;
    }

    public RawStatement IntOrNull(int index, long? value) => value is { } v ? Int(index, v) : Null(index);

    public RawStatement Null(int index)
    {
        Check(raw.sqlite3_bind_null(_statement, index));
        return this;
    }

    /// <summary>Runs the statement; returns the rows it changed.</summary>
    public int Run()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            throw Error(rc);
        }

        return raw.sqlite3_changes(_db);
    }

    /// <summary>Runs a statement that returns one integer (for example RETURNING rk).</summary>
    public long RunScalar()
    {
        var rc = raw.sqlite3_step(_statement);
        var value = rc == raw.SQLITE_ROW ? raw.sqlite3_column_int64(_statement, 0) : 0;
        raw.sqlite3_step(_statement);
        var reset = raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_ROW)
        {
            throw Error(reset != raw.SQLITE_OK ? reset : rc);
        }

        return value;
    }

    public void Dispose() => raw.sqlite3_finalize(_statement);

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc);
        }
    }

    private SqliteException Error(int rc) =>
        new(raw.sqlite3_errmsg(_db).utf8_to_string(), rc & 0xFF, raw.sqlite3_extended_errcode(_db));
}
