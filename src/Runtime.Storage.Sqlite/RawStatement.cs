using Microsoft.Data.Sqlite;
using System.Text;
using SQLitePCL;

namespace Runtime.Storage.Sqlite;

/// <summary>
/// A statement prepared once on the writer's connection and bound by position. The hot write path uses SQLite's own
/// API because binding parameters by name on every execution costs more than the insert itself; blobs are bound straight
/// from spans, and text as UTF-8 (the database's encoding: UTF-16 would make SQLite convert every value on each write).
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private byte[] _utf8 = new byte[256];

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
        if (value.IsEmpty)
        {
            Check(raw.sqlite3_bind_null(_statement, index));
            return this;
        }

        // SQLite copies the bytes (transient binding), so one scratch buffer per statement serves every parameter.
        var most = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_utf8.Length < most)
        {
            _utf8 = new byte[Math.Max(most, _utf8.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(value, _utf8);
        Check(raw.sqlite3_bind_text(_statement, index, _utf8.AsSpan(0, length)));
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
