namespace VirtualItCompany.Storage.PostgreSql;

/// <summary>The PostgreSQL database cannot be used as configured: unreachable, wrong credentials, missing, not permitted, or of a newer or foreign schema. The message names the server, the database and what to fix; nothing was changed.</summary>
public sealed class PostgreSqlStorageException : IOException
{
    /// <summary>Initializes a new instance of the <see cref="PostgreSqlStorageException"/> class.</summary>
    public PostgreSqlStorageException()
        : this("The PostgreSQL store failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlStorageException"/> class with a message.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    public PostgreSqlStorageException(string message)
        : base(message)
    {
        Server = string.Empty;
        Database = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlStorageException"/> class with a message and its cause.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public PostgreSqlStorageException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Server = string.Empty;
        Database = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlStorageException"/> class for a problem of a database.</summary>
    /// <param name="problem">What kind of problem it is.</param>
    /// <param name="server">The server as <c>host:port</c>.</param>
    /// <param name="database">The database.</param>
    /// <param name="message">What is wrong and what to do; it names the server and the database.</param>
    /// <param name="innerException">The cause, or <see langword="null"/>.</param>
    public PostgreSqlStorageException(PostgreSqlStorageProblem problem, string server, string database, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Problem = problem;
        Server = server ?? string.Empty;
        Database = database ?? string.Empty;
    }

    /// <summary>Gets the server as <c>host:port</c>, or an empty string when unknown.</summary>
    public string Server { get; }

    /// <summary>Gets the database, or an empty string when unknown.</summary>
    public string Database { get; }

    /// <summary>Gets what kind of problem it is.</summary>
    public PostgreSqlStorageProblem Problem { get; }
}
