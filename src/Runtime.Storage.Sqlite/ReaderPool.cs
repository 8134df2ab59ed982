using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Runtime.Storage.Sqlite;

/// <summary>
/// A few read connections, each keeping its prepared statements. WAL lets them read committed data while the writer
/// writes, so reads never queue behind commits.
/// </summary>
internal sealed class ReaderPool : IDisposable
{
    private readonly Channel<Reader> _idle;
    private readonly List<Reader> _all = [];

    public ReaderPool(string connectionString, int size)
    {
        _idle = Channel.CreateBounded<Reader>(size);
        for (var i = 0; i < size; i++)
        {
            var connection = new SqliteConnection(connectionString);
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA query_only = ON; PRAGMA busy_timeout = 5000;";
                pragma.ExecuteNonQuery();
            }

            var reader = new Reader(connection);
            _all.Add(reader);
            _idle.Writer.TryWrite(reader);
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> on an idle connection, in one read transaction: an input's state is derived from
    /// several tables, and they must all be read from the same commit.
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<Reader, T> read, CancellationToken cancellationToken)
    {
        var reader = await _idle.Reader.ReadAsync(cancellationToken);
        try
        {
            reader.Command("BEGIN").ExecuteNonQuery();
            try
            {
                return read(reader);
            }
            finally
            {
                reader.Command("COMMIT").ExecuteNonQuery();
            }
        }
        catch (SqliteException e)
        {
            throw new Runtime.Core.Errors.RuntimeException(Runtime.Core.Errors.ErrorKind.Unavailable, "STORE_UNAVAILABLE",
                $"The ledger store could not be read: {e.Message}",
                new Dictionary<string, string> { ["sqlite_error"] = e.SqliteErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                inner: e);
        }
        finally
        {
            _idle.Writer.TryWrite(reader);
        }
    }

    public void Dispose()
    {
        _idle.Writer.TryComplete();
        foreach (var reader in _all)
        {
            reader.Dispose();
        }
    }

    /// <summary>One read connection and its prepared statements, used by one caller at a time.</summary>
    internal sealed class Reader(SqliteConnection connection) : IDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        /// <summary>The prepared command for <paramref name="sql"/>, its parameters cleared.</summary>
        public SqliteCommand Command(string sql)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = connection.CreateCommand();
                command.CommandText = sql;
                _commands[sql] = command;
            }

            command.Parameters.Clear();
            return command;
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            connection.Dispose();
        }
    }
}
