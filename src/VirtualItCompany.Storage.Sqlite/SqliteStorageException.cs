namespace VirtualItCompany.Storage.Sqlite;

/// <summary>The SQLite file cannot be used as it is: not a database, corrupt, another application's, of a newer schema, read-only, or locked by another process. The message names the file and what to do; nothing was changed.</summary>
public sealed class SqliteStorageException : IOException
{
    /// <summary>Initializes a new instance of the <see cref="SqliteStorageException"/> class.</summary>
    public SqliteStorageException()
        : this("The SQLite store failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SqliteStorageException"/> class with a message.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    public SqliteStorageException(string message)
        : base(message)
    {
        FilePath = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="SqliteStorageException"/> class with a message and its cause.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public SqliteStorageException(string message, Exception? innerException)
        : base(message, innerException)
    {
        FilePath = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="SqliteStorageException"/> class for a problem of a file.</summary>
    /// <param name="problem">What kind of problem it is.</param>
    /// <param name="filePath">The database file.</param>
    /// <param name="message">What is wrong and what to do; it names the file.</param>
    /// <param name="innerException">The cause, or <see langword="null"/>.</param>
    public SqliteStorageException(SqliteStorageProblem problem, string filePath, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Problem = problem;
        FilePath = filePath ?? string.Empty;
    }

    /// <summary>Gets the database file, or an empty string when unknown.</summary>
    public string FilePath { get; }

    /// <summary>Gets what kind of problem it is.</summary>
    public SqliteStorageProblem Problem { get; }
}
