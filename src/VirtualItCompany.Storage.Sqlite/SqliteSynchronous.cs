namespace VirtualItCompany.Storage.Sqlite;

/// <summary>How hard SQLite pushes each transaction to the disk (<c>PRAGMA synchronous</c>, with the write-ahead log).</summary>
public enum SqliteSynchronous
{
    /// <summary>Every transaction is flushed to disk before its task completes: a commit the runtime has seen succeed (and acted on) survives a crash of the process, the operating system or the power.</summary>
    Full = 0,

    /// <summary>Transactions are flushed at checkpoints only: faster, and safe when the process crashes, but a power loss or an operating system crash may undo the last commits after the runtime acted on them.</summary>
    Normal = 1,
}
