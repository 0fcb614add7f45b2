namespace VirtualItCompany.Storage.PostgreSql;

/// <summary>What kind of problem a <see cref="PostgreSqlStorageException"/> reports.</summary>
public enum PostgreSqlStorageProblem
{
    /// <summary>Another failure of the server; the message has PostgreSQL's own.</summary>
    Failed = 0,

    /// <summary>The server cannot be reached: nothing listens at the host and port, the name does not resolve, or the connection timed out (after the retries).</summary>
    CannotConnect,

    /// <summary>The server refused the user name or password.</summary>
    AuthenticationFailed,

    /// <summary>The database named in the connection string does not exist on the server.</summary>
    DatabaseMissing,

    /// <summary>The user may not create or use the schema or its tables.</summary>
    PermissionDenied,

    /// <summary>The schema was written by a newer version of this package, whose schema this version does not know; it is never downgraded.</summary>
    SchemaTooNew,

    /// <summary>The schema holds tables of another application (no version table of this package); it is left untouched.</summary>
    ForeignSchema,
}
