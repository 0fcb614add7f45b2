namespace VirtualItCompany.Storage.Sqlite;

/// <summary>What kind of problem a <see cref="SqliteStorageException"/> reports.</summary>
public enum SqliteStorageProblem
{
    /// <summary>Another failure of SQLite or the disk (such as an I/O error); the message has SQLite's own.</summary>
    Failed = 0,

    /// <summary>The file cannot be opened or created: it or its folder is missing, or not readable or writable by this process.</summary>
    CannotOpen,

    /// <summary>The file is not a SQLite database (or is encrypted).</summary>
    NotADatabase,

    /// <summary>The database is damaged.</summary>
    Corrupt,

    /// <summary>The file is a SQLite database of another application; it is left untouched.</summary>
    ForeignDatabase,

    /// <summary>The database was written by a newer version of this package, whose schema this version does not know; it is never downgraded.</summary>
    SchemaTooNew,

    /// <summary>The file or its folder is read-only.</summary>
    ReadOnly,

    /// <summary>Another process held the database's write lock for longer than <see cref="SqliteStorageOptions.BusyTimeout"/>.</summary>
    Locked,

    /// <summary>The disk (or the file system's quota) holding the database is full; the write that hit it was rolled back.</summary>
    DiskFull,
}
