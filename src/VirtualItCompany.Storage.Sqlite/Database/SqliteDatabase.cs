using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace VirtualItCompany.Storage.Sqlite;

/// <summary>
/// One SQLite file shared by the project store, queue, outbox, journal, artifacts and budget account of a process.
/// Reads run on pooled connections (the write-ahead log lets them run beside a write); every write goes through one
/// writer that groups the writes waiting at the same moment into one <c>BEGIN IMMEDIATE</c> transaction (group commit),
/// so one flush makes the batch durable. A failed write undoes only itself: one that changed no row needs nothing
/// undone, and when one fails after changing rows the batch is rolled back and run again with a savepoint per write.
/// </summary>
internal sealed class SqliteDatabase : IAsyncDisposable, IDisposable
{
    private readonly string _connectionString;
    private readonly string _connectionPragmas;
    private readonly int _commandTimeoutSeconds;
    private readonly int _maxBatchSize;
    private readonly int _pageSize;
    private readonly TimeSpan _busyTimeout;
    private readonly Channel<WriteOperation> _writes = Channel.CreateUnbounded<WriteOperation>(new UnboundedChannelOptions { SingleReader = true });
    // Open read connections, set up once (pragmas) and kept with their prepared statements; a read takes one and gives it back.
    private readonly System.Collections.Concurrent.ConcurrentBag<SqliteConnection> _readConnections = [];
    private Task _writer = Task.CompletedTask;
    private SqliteConnection? _writeConnection;
    private long _batchesCommitted;
    private long _batchesRunAgain;
    private int _disposed;

    private SqliteDatabase(SqliteStorageOptions options, string connectionString, string filePath, TimeProvider timeProvider, ProjectEventTypes? eventTypes)
    {
        _connectionString = connectionString;
        FilePath = filePath;
        Time = timeProvider;
        EventTypes = eventTypes;
        Json = eventTypes?.SerializerOptions ?? ProjectEventSerializer.Options;
        _busyTimeout = options.BusyTimeout;
        _maxBatchSize = options.MaxBatchSize;
        _pageSize = options.PageSize;
        // Microsoft.Data.Sqlite retries a busy statement itself until the command timeout (whole seconds); SQLite's busy handler waits the exact time.
        _commandTimeoutSeconds = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds));
        string synchronous = options.Synchronous == SqliteSynchronous.Normal ? "NORMAL" : "FULL";
        _connectionPragmas = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = ON;");
    }

    /// <summary>Gets the database file's full path, for messages.</summary>
    public string FilePath { get; }

    /// <summary>Gets the clock of every time the store keeps.</summary>
    public TimeProvider Time { get; }

    /// <summary>Gets the event types the store serializes events with, or <see langword="null"/> for the built-in ones.</summary>
    public ProjectEventTypes? EventTypes { get; }

    /// <summary>Gets the serializer options for events, snapshots and work items (source-generated metadata).</summary>
    public JsonSerializerOptions Json { get; }

    /// <summary>Gets how many batches the writer has committed (for tests of group commit).</summary>
    internal long BatchesCommitted => Interlocked.Read(ref _batchesCommitted);

    /// <summary>Gets how many batches were rolled back and run again with a savepoint per write (for tests of group commit).</summary>
    internal long BatchesRunAgain => Interlocked.Read(ref _batchesRunAgain);

    /// <summary>Gets the signal raised after a write that may have made work available (enqueue, retry, release).</summary>
    public ChangeSignal WorkChanged { get; } = new();

    /// <summary>Gets the signal raised after a write that may have freed budget (settle, release, a new limit).</summary>
    public ChangeSignal BudgetChanged { get; } = new();

    /// <summary>Opens the file (creating it and its folder when missing), checks that it is this package's database of a schema this version knows, and migrates it forward.</summary>
    /// <param name="options">The options; checked first.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="eventTypes">The event types, when the application registered custom events.</param>
    /// <returns>The open database.</returns>
    /// <exception cref="ArgumentException">The options have problems; all are listed.</exception>
    /// <exception cref="SqliteStorageException">The file cannot be used; the message says why and what to do.</exception>
    public static SqliteDatabase Open(SqliteStorageOptions options, TimeProvider timeProvider, ProjectEventTypes? eventTypes = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (options.GetProblems() is { Count: > 0 } problems)
        {
            throw new ArgumentException($"The SQLite storage options are not usable: {string.Join(" ", problems)}", nameof(options));
        }

        var builder = new SqliteConnectionStringBuilder(options.ConnectionString) { Mode = SqliteOpenMode.ReadWriteCreate };
        string filePath = FullPath(builder.DataSource);
        string dataSource = builder.DataSource;
        if (!dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            // Fixed now: a relative path must not move when the process changes its current directory later.
            builder.DataSource = filePath;
        }

        builder.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds));
        var database = new SqliteDatabase(options, builder.ToString(), filePath, timeProvider, eventTypes);
        try
        {
            database.EnsureFolder(dataSource);
            database.Initialize();
        }
        catch
        {
            database.Dispose();
            throw;
        }

        database._writer = Task.Run(database.WriteLoopAsync);
        return database;
    }

    /// <summary>Runs a read on a connection of its own.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="read">The read.</param>
    /// <returns>What it read.</returns>
    public T Read<T>(Func<SqliteConnection, T> read)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        SqliteConnection? connection = null;
        try
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            connection = _readConnections.TryTake(out var kept) ? kept : OpenConnection();
            var result = read(connection);
            SqliteStatistics.Read(started);
            ReturnReadConnection(connection);
            connection = null;
            return result;
        }
        catch (SqliteException ex)
        {
            throw Translate(ex);
        }
        finally
        {
            // A read that failed may have left the connection in any state: it is not kept.
            connection?.Dispose();
        }
    }

    /// <summary>Queues a write for the writer; it runs in the next batch's transaction, and its task completes once the batch is durable.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="write">The write; what it throws undoes it alone and fails its task.</param>
    /// <param name="cancellationToken">Cancels the write while it waits for its batch; once running it completes.</param>
    /// <returns>The write's result, once durable.</returns>
    public Task<T> WriteAsync<T>(Func<WriteContext, T> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var operation = new WriteOperation<T>(write, cancellationToken);
        if (Volatile.Read(ref _disposed) != 0 || !_writes.Writer.TryWrite(operation))
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase), $"The SQLite store of '{FilePath}' is disposed.");
        }

        return operation.Task;
    }

    /// <summary>Turns a SQLite error into an exception that names the file and says what to do.</summary>
    /// <param name="exception">The error.</param>
    /// <returns>The exception to throw.</returns>
    public SqliteStorageException Translate(SqliteException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string name = Path.GetFileName(FilePath);
        return (exception.SqliteErrorCode & 0xFF) switch
        {
            5 or 6 => new SqliteStorageException(SqliteStorageProblem.Locked, FilePath, $"The SQLite database '{FilePath}' is locked: another process (or connection) held its write lock for longer than the busy timeout ({_busyTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s). Stop the other process or raise {SqliteStorageOptions.SectionName}:BusyTimeout; nothing was written.", exception),
            8 => new SqliteStorageException(SqliteStorageProblem.ReadOnly, FilePath, $"The SQLite database '{FilePath}' is read-only (SQLite: {exception.Message}). Make the file and its folder writable by this process: SQLite also writes '{name}-wal' and '{name}-shm' beside it. Nothing was written.", exception),
            11 => new SqliteStorageException(SqliteStorageProblem.Corrupt, FilePath, $"The SQLite database '{FilePath}' is damaged (SQLite: {exception.Message}). Restore it from a backup, or move it aside and start with a new file; the store never repairs or resets a file itself.", exception),
            26 => new SqliteStorageException(SqliteStorageProblem.NotADatabase, FilePath, $"'{FilePath}' is not a SQLite database (or it is encrypted). Point {SqliteStorageOptions.SectionName}:ConnectionString at a new file or at a VirtualItCompany database; this file is left as it is.", exception),
            14 => new SqliteStorageException(SqliteStorageProblem.CannotOpen, FilePath, $"SQLite cannot open '{FilePath}' (SQLite: {exception.Message}): the file or its folder is missing, or not readable and writable by this process (SQLite also creates '{name}-wal' and '{name}-shm' beside it). Check the path and the permissions.", exception),
            13 => new SqliteStorageException(SqliteStorageProblem.DiskFull, FilePath, $"The disk holding the SQLite database '{FilePath}' is full; this write was rolled back and nothing stored before it was lost. Free some space (SQLite also grows '{name}-wal' beside it); the store goes on once there is room.", exception),
            _ => new SqliteStorageException(SqliteStorageProblem.Failed, FilePath, $"SQLite failed on '{FilePath}': {exception.Message} (error {exception.SqliteExtendedErrorCode}); nothing was written.", exception),
        };
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _writes.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        Close();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _writes.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
        Close();
    }

    /// <summary>Runs one or more statements that return nothing.</summary>
    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.Command(sql);
        command.ExecuteNonQuery();
    }

    private static string FullPath(string dataSource)
    {
        if (dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return dataSource;
        }

        try
        {
            return Path.GetFullPath(dataSource);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return dataSource;
        }
    }

    private static bool InTransaction(SqliteConnection connection) => SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0;

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private void EnsureFolder(string dataSource)
    {
        if (dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || Path.GetDirectoryName(FilePath) is not { Length: > 0 } folder || Directory.Exists(folder))
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SqliteStorageException(SqliteStorageProblem.CannotOpen, FilePath, $"The folder '{folder}' of the SQLite database '{FilePath}' does not exist and cannot be created ({ex.Message}). Create it, or point {SqliteStorageOptions.SectionName}:ConnectionString at a writable folder.", ex);
        }
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            connection.DefaultTimeout = _commandTimeoutSeconds;
            Execute(connection, _connectionPragmas);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Checks the file and brings its schema to this version, without writing to a file that is not ours.</summary>
    private void Initialize()
    {
        try
        {
            using var connection = OpenConnection();

            // Read first, without writing anything: a file that is not ours must stay exactly as it is.
            var found = ReadHeader(connection);
            Check(found);
            if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
            {
                throw new SqliteStorageException(SqliteStorageProblem.ReadOnly, FilePath, $"The SQLite database '{FilePath}' can only be opened read-only. Make the file and its folder writable by this process (SQLite also writes '{Path.GetFileName(FilePath)}-wal' and '{Path.GetFileName(FilePath)}-shm' beside it).");
            }

            if (found.Objects == 0)
            {
                // A new file: its page size is set before anything is written (it cannot change once the file is in WAL mode).
                Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA page_size = {_pageSize};"));
            }

            // The write-ahead log lets readers run beside the writer, and other processes beside this one. It is a property of the file.
            string mode = Convert.ToString(Scalar(connection, "PRAGMA journal_mode = WAL;"), CultureInfo.InvariantCulture) ?? string.Empty;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new SqliteStorageException(SqliteStorageProblem.Failed, FilePath, $"SQLite could not switch '{FilePath}' to write-ahead logging (it stayed in journal mode '{mode}'). Put the file on a local disk that supports shared memory (not a network share).");
            }

            // A migration that rebuilds a table needs foreign keys off, which SQLite only switches outside a transaction;
            // the migration checks them before it commits. This connection only opens the file.
            Execute(connection, "PRAGMA foreign_keys = OFF;");
            Execute(connection, "BEGIN IMMEDIATE;");
            try
            {
                // Again inside the write lock: another process may have created or migrated the file meanwhile.
                found = ReadHeader(connection);
                Check(found);
                if (found.UserVersion < SqliteSchema.CurrentVersion)
                {
                    try
                    {
                        SqliteSchema.Migrate(connection, found.UserVersion);
                    }
                    catch (InvalidOperationException ex)
                    {
                        throw new SqliteStorageException(SqliteStorageProblem.Failed, FilePath, $"The SQLite database '{FilePath}' cannot be brought to this version's schema: {ex.Message} Its data breaks a rule the store keeps (it was changed outside VirtualItCompany, or is damaged); restore it from a backup.", ex);
                    }
                }

                Execute(connection, "COMMIT;");
            }
            catch
            {
                if (InTransaction(connection))
                {
                    Execute(connection, "ROLLBACK;");
                }

                throw;
            }
        }
        catch (SqliteException ex)
        {
            throw Translate(ex);
        }
    }

    private static Header ReadHeader(SqliteConnection connection) => new(
        Convert.ToInt64(Scalar(connection, "PRAGMA application_id;"), CultureInfo.InvariantCulture),
        Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture),
        Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM sqlite_schema;"), CultureInfo.InvariantCulture));

    private void Check(Header found)
    {
        bool ours = found.ApplicationId == SqliteSchema.ApplicationId;
        bool empty = found.ApplicationId == 0 && found.UserVersion == 0 && found.Objects == 0;
        if (!ours && !empty)
        {
            string whose = found.ApplicationId == 0 ? "no application id" : string.Create(CultureInfo.InvariantCulture, $"application id 0x{found.ApplicationId:X8}");
            throw new SqliteStorageException(SqliteStorageProblem.ForeignDatabase, FilePath, string.Create(CultureInfo.InvariantCulture, $"'{FilePath}' is a SQLite database of another application ({whose}, schema version {found.UserVersion}, schema objects: {found.Objects}), not of VirtualItCompany (application id 0x{SqliteSchema.ApplicationId:X8}). It is left untouched: point {SqliteStorageOptions.SectionName}:ConnectionString at a new file or at a VirtualItCompany database."));
        }

        if (ours && found.UserVersion > SqliteSchema.CurrentVersion)
        {
            throw new SqliteStorageException(SqliteStorageProblem.SchemaTooNew, FilePath, string.Create(CultureInfo.InvariantCulture, $"The SQLite database '{FilePath}' has schema version {found.UserVersion}, written by a newer VirtualItCompany.Storage.Sqlite; this version knows schema versions up to {SqliteSchema.CurrentVersion}. Update the VirtualItCompany.Storage.Sqlite package; the file is never downgraded or reset."));
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _writes.Reader;
        var batch = new List<WriteOperation>(_maxBatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _maxBatchSize && reader.TryRead(out var operation))
            {
                if (operation.TryStart())
                {
                    batch.Add(operation);
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                WriteBatch(batch);
            }
            catch (Exception ex)
            {
                // Never lose the writer: whatever escaped fails the batch's writes, which were not stored.
                foreach (var operation in batch)
                {
                    operation.Abort(ex);
                }
            }

            batch.Clear();
        }
    }

    /// <summary>
    /// Writes a batch in one transaction, then completes each write's task. The writes run without a savepoint each: a write
    /// that fails having changed no row (a refused commit, a lost lease) needs nothing undone. Only when a write fails after
    /// changing rows is the transaction rolled back and the whole batch run again, this time a savepoint per write, so that
    /// write alone is undone. A write may therefore run twice; only its last run's effects are stored.
    /// </summary>
    private void WriteBatch(List<WriteOperation> batch)
    {
        bool workChanged = false;
        bool budgetChanged = false;
        long batchStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var connection = _writeConnection ??= OpenConnection();
            Execute(connection, "BEGIN IMMEDIATE;");
            var context = new WriteContext(connection, this);
            if (!RunWrites(connection, context, batch, savepoints: false, ref workChanged, ref budgetChanged))
            {
                Execute(connection, "ROLLBACK;");
                SqliteStatistics.RunAgain();
                Interlocked.Increment(ref _batchesRunAgain);
                workChanged = false;
                budgetChanged = false;
                Execute(connection, "BEGIN IMMEDIATE;");
                RunWrites(connection, context, batch, savepoints: true, ref workChanged, ref budgetChanged);
            }

            long commitStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            Execute(connection, "COMMIT;");
            SqliteStatistics.Commit(commitStarted);
            SqliteStatistics.Batch(batchStarted);
        }
        catch (Exception ex)
        {
            // SQLite undid the whole transaction (disk full, I/O error), or it could not begin or commit: nothing of the batch is stored.
            ResetWriteConnection();
            var error = ex is SqliteException sqlite ? Translate(sqlite) : ex;
            foreach (var operation in batch)
            {
                operation.Abort(error);
            }

            return;
        }

        // Durable: only now may callers act on their writes. Waiters are woken first, so a caller whose write returned never
        // finds the signal of its own write still to come (it would wake a wait it starts after its write).
        Interlocked.Increment(ref _batchesCommitted);
        if (workChanged)
        {
            WorkChanged.Raise();
        }

        if (budgetChanged)
        {
            BudgetChanged.Raise();
        }

        foreach (var operation in batch)
        {
            operation.Complete();
        }
    }

    /// <summary>
    /// Runs the batch's writes in the open transaction. With <paramref name="savepoints"/> each write has its own, so a failed
    /// write undoes only itself. Without, a write that failed having changed no row needs nothing undone; false when one
    /// failed after changing rows, so the transaction must be rolled back.
    /// </summary>
    private bool RunWrites(SqliteConnection connection, WriteContext context, List<WriteOperation> batch, bool savepoints, ref bool workChanged, ref bool budgetChanged)
    {
        foreach (var operation in batch)
        {
            long writeStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            if (savepoints)
            {
                Execute(connection, "SAVEPOINT write;");
            }

            context.Reset();
            // Rows changed by completed statements; a statement that fails undoes itself and adds nothing.
            int changesBefore = SQLitePCL.raw.sqlite3_total_changes(connection.Handle);
            try
            {
                operation.Run(context);
                if (savepoints)
                {
                    Execute(connection, "RELEASE write;");
                }

                workChanged |= context.WorkChanged;
                budgetChanged |= context.BudgetChanged;
            }
            catch (Exception ex) when (InTransaction(connection))
            {
                if (savepoints)
                {
                    Execute(connection, "ROLLBACK TO write; RELEASE write;");
                }
                else if (SQLitePCL.raw.sqlite3_total_changes(connection.Handle) != changesBefore)
                {
                    // Part of this write is in the transaction: only a rollback removes it.
                    return false;
                }

                // This write alone is undone (or wrote nothing); the others of the batch still land.
                operation.Fail(ex is SqliteException sqlite ? Translate(sqlite) : ex);
            }

            SqliteStatistics.Write(writeStarted);
        }

        return true;
    }

    private void ResetWriteConnection()
    {
        var connection = _writeConnection;
        _writeConnection = null;
        if (connection is null)
        {
            return;
        }

        try
        {
            if (connection.State == System.Data.ConnectionState.Open && InTransaction(connection))
            {
                Execute(connection, "ROLLBACK;");
            }
        }
        catch (SqliteException)
        {
            // Closing the connection rolls back whatever is left.
        }

        connection.Dispose();
    }

    private void ReturnReadConnection(SqliteConnection connection)
    {
        // Kept up to a few per core; a store being disposed keeps none.
        if (Volatile.Read(ref _disposed) == 0 && _readConnections.Count < MaxReadConnections)
        {
            _readConnections.Add(connection);
            if (Volatile.Read(ref _disposed) != 0)
            {
                // Disposed meanwhile: Close may have emptied the bag already.
                while (_readConnections.TryTake(out var late))
                {
                    late.Dispose();
                }
            }

            return;
        }

        connection.Dispose();
    }

    private static int MaxReadConnections => Math.Max(4, 2 * Environment.ProcessorCount);

    private void Close()
    {
        while (_readConnections.TryTake(out var read))
        {
            read.Dispose();
        }

        ResetWriteConnection();
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private readonly record struct Header(long ApplicationId, int UserVersion, long Objects);
}
