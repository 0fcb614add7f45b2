using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace VirtualItCompany.Storage.Sqlite;

/// <summary>Small helpers over <see cref="SqliteCommand"/>.</summary>
internal static class SqliteCommands
{
    private static readonly ConditionalWeakTable<SqliteConnection, CommandCache> Caches = [];

    /// <summary>
    /// Gets a command for <paramref name="sql"/> on a connection, without parameters. The store's connections are long-lived
    /// and each is used by one thread at a time, so the command of each text is kept with its connection and its prepared
    /// statements are reused: disposing it gives it back (SQLite's statements stay prepared, reset after each run). A text
    /// whose command is still in use (nested) gets a new command of its own.
    /// </summary>
    public static SqliteCommand Command(this SqliteConnection connection, string sql) =>
        Caches.GetValue(connection, static _ => new CommandCache()).Rent(connection, sql);

    /// <summary>Adds a parameter; <see langword="null"/> is SQL NULL.</summary>
    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    /// <summary>Runs a command that returns one integer, or <see langword="null"/> when it returns no row or NULL.</summary>
    public static long? Int64OrNull(this SqliteCommand command) => command.ExecuteScalar() is { } value and not DBNull ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>Reads a nullable text column.</summary>
    public static string? StringOrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Reads a nullable integer column.</summary>
    public static long? Int64OrNull(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    /// <summary>The kept commands of one connection, by text.</summary>
    private sealed class CommandCache
    {
        // The store runs a few dozen distinct texts; anything past this is not kept (a bound, not an expected size).
        private const int MaxCommands = 256;

        private readonly Dictionary<string, KeptCommand> _commands = new(StringComparer.Ordinal);

        public SqliteCommand Rent(SqliteConnection connection, string sql)
        {
            if (_commands.TryGetValue(sql, out var kept) && kept.Closed)
            {
                // Its connection was closed (and opened again): prepare anew.
                _commands.Remove(sql);
                kept = null;
            }

            if (kept is not null)
            {
                if (!kept.InUse)
                {
                    kept.InUse = true;
                    kept.Parameters.Clear();
                    return kept;
                }
            }
            else if (_commands.Count < MaxCommands)
            {
                kept = new KeptCommand { Connection = connection, CommandText = sql, CommandTimeout = connection.DefaultTimeout, InUse = true };
                _commands.Add(sql, kept);
                return kept;
            }

            var command = connection.CreateCommand();
            command.CommandText = sql;
            return command;
        }
    }

    /// <summary>
    /// A command that stays with its connection: the store's code disposing it (while rented) only makes it available again;
    /// the connection disposing it when it closes (never while rented) finalizes its statements, so the file is closed for good.
    /// </summary>
    private sealed class KeptCommand : SqliteCommand
    {
        public bool InUse { get; set; }

        public bool Closed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            if (disposing && InUse)
            {
                InUse = false;
                return;
            }

            Closed = true;
            base.Dispose(disposing);
        }
    }
}
