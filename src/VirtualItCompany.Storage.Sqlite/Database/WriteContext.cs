using Microsoft.Data.Sqlite;

namespace VirtualItCompany.Storage.Sqlite;

/// <summary>What a write runs with: the writer's connection, inside the batch's transaction, and what it changed for waiters.</summary>
internal sealed class WriteContext(SqliteConnection connection, SqliteDatabase database)
{
    /// <summary>Gets the writer's connection.</summary>
    public SqliteConnection Connection { get; } = connection;

    /// <summary>Gets the database.</summary>
    public SqliteDatabase Database { get; } = database;

    /// <summary>Gets or sets whether the write may have made work available: waiters of this process wake once it is durable.</summary>
    public bool WorkChanged { get; set; }

    /// <summary>Gets or sets whether the write may have freed budget: waiting reservations of this process try again once it is durable.</summary>
    public bool BudgetChanged { get; set; }

    /// <summary>Forgets the previous write's effects.</summary>
    public void Reset()
    {
        WorkChanged = false;
        BudgetChanged = false;
    }
}
