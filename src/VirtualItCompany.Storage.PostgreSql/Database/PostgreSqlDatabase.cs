using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Polly;
using Polly.Retry;

namespace VirtualItCompany.Storage.PostgreSql;

/// <summary>
/// The company's schema in one PostgreSQL database, shared by the project store, queue, outbox, journal, artifacts and
/// budget account of a process: a pooled data source, the retry pipeline for transient faults, the migrations, and one
/// listening connection that turns other processes' <c>NOTIFY</c>s into wake-ups and commit announcements.
/// </summary>
internal sealed class PostgreSqlDatabase : IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ResiliencePipeline _retry;
    private readonly ILogger _logger;
    private readonly TimeProvider _retryClock;
    private readonly TimeSpan _retryDelay;
    private readonly TimeSpan _maxRetryDelay;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private Action<ProjectCommitAnnouncement>[] _announcementListeners = [];
    private Task _listener = Task.CompletedTask;

    /// <summary>How many statements Npgsql prepares per connection when the connection string does not set <c>Max Auto Prepare</c>.</summary>
    internal const int DefaultMaxAutoPrepare = 64;

    /// <summary>How long disposal waits for the listening loop to stop before it closes the pool under it.</summary>
    private static readonly TimeSpan ListenerStopTimeout = TimeSpan.FromSeconds(5);
    private int _disposed;
    private long _retries;

    private PostgreSqlDatabase(PostgreSqlStorageOptions options, TimeProvider timeProvider, ProjectEventTypes? eventTypes, ILogger? logger, TimeProvider? retryClock)
    {
        var connection = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        Server = string.Create(CultureInfo.InvariantCulture, $"{connection.Host}:{connection.Port}");
        DatabaseName = connection.Database ?? string.Empty;
        Schema = options.Schema;
        connection.SearchPath = options.Schema;
        if (string.IsNullOrEmpty(connection.ApplicationName))
        {
            connection.ApplicationName = "VirtualItCompany";
        }

        // The store's statements are few and run many times, and it never changes a session's state (no SET, no session
        // locks, the listening connection's LISTEN never reaches another user, see ListenLoopAsync): unless the connection string says otherwise, Npgsql prepares
        // them on the server once per connection, and skips the DISCARD ALL that would drop those plans each time a
        // connection goes back to the pool. Both cut the server's work per statement (parse, plan, reset).
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connection.ConnectionString };
        if (!given.ContainsKey("Max Auto Prepare"))
        {
            connection.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        if (!given.ContainsKey("No Reset On Close"))
        {
            connection.NoResetOnClose = true;
        }

        _dataSource = new NpgsqlDataSourceBuilder(connection.ConnectionString).Build();
        Time = timeProvider;
        EventTypes = eventTypes;
        Json = eventTypes?.SerializerOptions ?? ProjectEventSerializer.Options;
        _logger = logger ?? NullLogger.Instance;
        _retryClock = retryClock ?? TimeProvider.System;
        _retryDelay = options.RetryDelay;
        _maxRetryDelay = options.MaxRetryDelay;
        // Channel names are identifiers (at most 63 bytes): the schema is at most 40 characters.
        WorkChannel = "vic_work_" + Schema;
        BudgetChannel = "vic_budget_" + Schema;
        CommitChannel = "vic_commits_" + Schema;
        _retry = options.MaxRetryAttempts == 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = _retryClock }
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                    MaxRetryAttempts = options.MaxRetryAttempts,
                    Delay = options.RetryDelay,
                    MaxDelay = options.MaxRetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    OnRetry = args =>
                    {
                        // Connections of the pool went with the server: do not hand them out again.
                        _dataSource.Clear();
                        Interlocked.Increment(ref _retries);
                        _logger.LogWarning(args.Outcome.Exception, "PostgreSQL at {Server} (database '{Database}') failed with a transient fault; try {Attempt} of {Max} in {Delay} ms.", Server, DatabaseName, args.AttemptNumber + 2, options.MaxRetryAttempts + 1, (long)args.RetryDelay.TotalMilliseconds);
                        return default;
                    },
                })
                .Build();
    }

    /// <summary>Gets the connection string of the pool (without the password), for tests of the settings the store adds.</summary>
    internal string PoolConnectionString => _dataSource.ConnectionString;

    /// <summary>Gets the server as <c>host:port</c>, for messages.</summary>
    public string Server { get; }

    /// <summary>Gets the database's name, for messages.</summary>
    public string DatabaseName { get; }

    /// <summary>Gets the schema that holds the tables.</summary>
    public string Schema { get; }

    /// <summary>Gets the clock of every time the store keeps (lease expiry, retry times, save times).</summary>
    public TimeProvider Time { get; }

    /// <summary>Gets the event types the store serializes events with, or <see langword="null"/> for the built-in ones.</summary>
    public ProjectEventTypes? EventTypes { get; }

    /// <summary>Gets the serializer options for events, snapshots and work items (source-generated metadata).</summary>
    public JsonSerializerOptions Json { get; }

    /// <summary>Gets this instance's id, sent with its notifications so that it does not wake itself twice.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Gets the channel notified when work may be available.</summary>
    public string WorkChannel { get; }

    /// <summary>Gets the channel notified when budget may have been freed.</summary>
    public string BudgetChannel { get; }

    /// <summary>Gets the channel that announces commits (<c>instance|project|version</c>).</summary>
    public string CommitChannel { get; }

    /// <summary>Gets the signal raised when work may be available (this process's writes, or another's NOTIFY).</summary>
    public ChangeSignal WorkChanged { get; } = new();

    /// <summary>Gets the signal raised when budget may have been freed.</summary>
    public ChangeSignal BudgetChanged { get; } = new();

    /// <summary>Gets how many operations were tried again after a transient fault (for tests and diagnostics).</summary>
    internal long Retries => Interlocked.Read(ref _retries);

    /// <summary>Gets a task that completes once the listening connection listens.</summary>
    public Task Listening => _listening.Task;

    /// <summary>Connects, checks the schema and migrates it forward (once across hosts), then starts listening for other processes' notifications.</summary>
    /// <param name="options">The options; checked first.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="eventTypes">The event types, when the application registered custom events.</param>
    /// <param name="logger">Where retries and lost connections are logged, or <see langword="null"/>.</param>
    /// <param name="retryClock">The clock of retry delays (real time; tests of the store's own times use a fake clock for <paramref name="timeProvider"/>).</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open database.</returns>
    /// <exception cref="ArgumentException">The options have problems; all are listed.</exception>
    /// <exception cref="PostgreSqlStorageException">The database cannot be used; the message says why and what to do.</exception>
    public static async Task<PostgreSqlDatabase> OpenAsync(PostgreSqlStorageOptions options, TimeProvider timeProvider, ProjectEventTypes? eventTypes = null, ILogger? logger = null, TimeProvider? retryClock = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (options.GetProblems() is { Count: > 0 } problems)
        {
            throw new ArgumentException($"The PostgreSQL storage options are not usable: {string.Join(" ", problems)}", nameof(options));
        }

        var database = new PostgreSqlDatabase(options, timeProvider, eventTypes, logger, retryClock);
        try
        {
            await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        database._listener = Task.Run(() => database.ListenLoopAsync(database._stop.Token), CancellationToken.None);
        return database;
    }

    /// <summary>Runs an operation on a pooled connection, again on a new connection after a transient fault (with backoff), and turns connection errors into <see cref="PostgreSqlStorageException"/>.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="operation">The operation; it gets the connection, the attempt (0 first) and the token. Make it safe to run again: a fault may come after its transaction committed.</param>
    /// <param name="cancellationToken">Cancels the operation and its retries.</param>
    /// <returns>What the operation returned.</returns>
    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, int, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        int attempt = 0;
        try
        {
            return await _retry.ExecuteAsync(
                async ct =>
                {
                    await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                    return await operation(connection, attempt++, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Runs an operation in a transaction of its own (see <see cref="RunAsync"/>); what it throws rolls the transaction back.</summary>
    public Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, int, CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        RunAsync(
            async (connection, attempt, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                var result = await operation(connection, attempt, ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return result;
            },
            cancellationToken);

    /// <summary>Registers a callback for commit announcements (see <see cref="IProjectCommitAnnouncer"/>).</summary>
    public async ValueTask<IAsyncDisposable> ListenAsync(Action<ProjectCommitAnnouncement> onAnnounced, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onAnnounced);
        lock (_gate)
        {
            _announcementListeners = [.. _announcementListeners, onAnnounced];
        }

        var registration = new Registration(this, onAnnounced);
        try
        {
            await _listening.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await registration.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return registration;
    }

    /// <summary>Turns a failure into the exception to throw: a <see cref="PostgreSqlStorageException"/> that names the server, the database and what to fix, or <see langword="null"/> to let it pass as it is.</summary>
    public PostgreSqlStorageException? Translate(Exception exception)
    {
        string where = $"PostgreSQL at {Server} (database '{DatabaseName}')";
        switch (exception)
        {
            case PostgreSqlStorageException:
                return null;
            case PostgresException pg when pg.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification:
                return new PostgreSqlStorageException(PostgreSqlStorageProblem.AuthenticationFailed, Server, DatabaseName, $"{where} refused the login ({pg.MessageText}). Check Username and Password in {PostgreSqlStorageOptions.SectionName}:ConnectionString (or ConnectionStrings:{PostgreSqlStorageOptions.ConnectionStringName}), and that pg_hba.conf lets this user in from this host.", exception);
            case PostgresException pg when pg.SqlState == PostgresErrorCodes.InvalidCatalogName:
                return new PostgreSqlStorageException(PostgreSqlStorageProblem.DatabaseMissing, Server, DatabaseName, $"{where}: the database '{DatabaseName}' does not exist ({pg.MessageText}). Create it (createdb -h {Server.Split(':')[0]} {DatabaseName}) or fix Database in the connection string; the store creates its schema and tables, not the database.", exception);
            case PostgresException pg when pg.SqlState is PostgresErrorCodes.InsufficientPrivilege:
                return new PostgreSqlStorageException(PostgreSqlStorageProblem.PermissionDenied, Server, DatabaseName, $"{where}: the user may not use the schema '{Schema}' or its tables ({pg.MessageText}). Grant it CREATE on the database (to create the schema) and all rights on the schema, or have an administrator create the schema for it.", exception);
            case PostgresException:
                return null;
            case NpgsqlException npgsql when npgsql.InnerException is SocketException or TimeoutException or IOException || npgsql.IsTransient:
                return new PostgreSqlStorageException(PostgreSqlStorageProblem.CannotConnect, Server, DatabaseName, $"{where} cannot be reached: {Describe(npgsql)}. Check that the server runs and listens on {Server} (Host and Port in {PostgreSqlStorageOptions.SectionName}:ConnectionString), and that no firewall is in the way; transient faults were retried (MaxRetryAttempts).", exception);
            default:
                return null;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            // A listening connection whose cancelled wait does not return (seen in CI) must not hold the disposal: after a
            // bound the pool is closed below, which ends the wait.
            await _listener.WaitAsync(ListenerStopTimeout, _retryClock).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("The listening connection to PostgreSQL at {Server} did not stop within {Timeout} s; closing the pool.", Server, ListenerStopTimeout.TotalSeconds);
        }

        _listening.TrySetCanceled();
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>Stops listening and closes the pool (a container disposed synchronously).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>SQLSTATE 25P03, <c>idle_in_transaction_session_timeout</c>.</summary>
    private const string IdleInTransactionSessionTimeout = "25P03";

    /// <summary>SQLSTATE 57P05, <c>idle_session_timeout</c> (PostgreSQL 14 and later).</summary>
    private const string IdleSessionTimeout = "57P05";

    /// <summary>Whether a failure is worth trying again on a new connection: the server went away, refused connections for a while, ended a session that idled past its limit, or chose this transaction as a deadlock's victim.</summary>
    internal static bool IsTransient(Exception exception) => exception switch
    {
        // The server ending a session it found idle (in a transaction, or at all) past its limit is a lost connection too:
        // this process stalled there (SIGSTOP, a long pause), the transaction was rolled back, and a new connection goes on.
        PostgresException pg => pg.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
            or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.TooManyConnections or IdleInTransactionSessionTimeout or IdleSessionTimeout
            || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException,
        _ => false,
    };

    private static string Describe(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return ReferenceEquals(inner, exception) ? exception.Message : $"{exception.Message} ({inner.Message})";
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await InTransactionAsync(
            async (connection, _, ct) =>
            {
                // One host migrates at a time: the others wait here, then find the schema current.
                await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtextextended('virtualitcompany:schema:' || $1, 0));", ct, Schema).ConfigureAwait(false);
                bool hasVersionTable = await ScalarAsync<bool>(connection, "SELECT to_regclass(quote_ident($1) || '.schema_version') IS NOT NULL;", ct, Schema).ConfigureAwait(false);
                int version = 0;
                if (hasVersionTable)
                {
                    version = await ScalarAsync<int>(connection, "SELECT coalesce(max(version), 0) FROM schema_version;", ct).ConfigureAwait(false);
                }
                else
                {
                    long tables = await ScalarAsync<long>(connection, "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = $1;", ct, Schema).ConfigureAwait(false);
                    if (tables > 0)
                    {
                        throw new PostgreSqlStorageException(PostgreSqlStorageProblem.ForeignSchema, Server, DatabaseName, $"The schema '{Schema}' of PostgreSQL at {Server} (database '{DatabaseName}') holds {tables} table(s) of another application (it has no schema_version table of VirtualItCompany). It is left untouched: set {PostgreSqlStorageOptions.SectionName}:Schema to a schema of its own.");
                    }
                }

                if (version > PostgreSqlSchema.CurrentVersion)
                {
                    throw new PostgreSqlStorageException(PostgreSqlStorageProblem.SchemaTooNew, Server, DatabaseName, string.Create(CultureInfo.InvariantCulture, $"The schema '{Schema}' of PostgreSQL at {Server} (database '{DatabaseName}') is at version {version}, written by a newer VirtualItCompany.Storage.PostgreSql; this version knows versions up to {PostgreSqlSchema.CurrentVersion} and never downgrades. Update this package on every host (or point {PostgreSqlStorageOptions.SectionName}:Schema at another schema)."));
                }

                if (!hasVersionTable)
                {
                    await ExecuteAsync(connection, $"""
                        CREATE SCHEMA IF NOT EXISTS "{Schema}";
                        CREATE TABLE "{Schema}".schema_version (
                            version integer NOT NULL PRIMARY KEY,
                            applied_at timestamptz NOT NULL DEFAULT now(),
                            applied_by text NOT NULL
                        );
                        """, ct).ConfigureAwait(false);
                }

                for (; version < PostgreSqlSchema.CurrentVersion; version++)
                {
                    _logger.LogInformation("Migrating schema '{Schema}' of PostgreSQL at {Server} (database '{Database}') to version {Version}.", Schema, Server, DatabaseName, version + 1);
                    await ExecuteAsync(connection, PostgreSqlSchema.Migration(version), ct).ConfigureAwait(false);
                    await ExecuteAsync(connection, "INSERT INTO schema_version (version, applied_by) VALUES ($1, $2);", ct, version + 1, $"{Environment.MachineName}:{Environment.ProcessId}").ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask DisposeListenerAsync(NpgsqlConnection? connection)
    {
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Listens on its own connection for the other processes' notifications; after a lost connection it listens again (with backoff) and wakes everyone, since notifications may have been missed.</summary>
    private async Task ListenLoopAsync(CancellationToken stop)
    {
        bool listenedBefore = false;
        var delay = _retryDelay;
        while (!stop.IsCancellationRequested)
        {
            NpgsqlConnection? connection = null;
            try
            {
                connection = await _dataSource.OpenConnectionAsync(stop).ConfigureAwait(false);
                connection.Notification += OnNotification;
                await ExecuteAsync(connection, $"LISTEN \"{WorkChannel}\"; LISTEN \"{BudgetChannel}\"; LISTEN \"{CommitChannel}\";", stop).ConfigureAwait(false);
                if (listenedBefore)
                {
                    _logger.LogInformation("Listening to PostgreSQL at {Server} (database '{Database}') again.", Server, DatabaseName);
                    WorkChanged.Raise();
                    BudgetChanged.Raise();
                    Announce(ProjectCommitAnnouncement.MayHaveMissed);
                }

                listenedBefore = true;
                delay = _retryDelay;
                _listening.TrySetResult();
                while (true)
                {
                    await connection.WaitAsync(stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Back to the pool, which is closed next.
                await DisposeListenerAsync(connection).ConfigureAwait(false);
                return;
            }
            catch (Exception ex)
            {
                if (connection is { State: System.Data.ConnectionState.Open })
                {
                    // Still open after a fault: it must not go back to the pool with its LISTENs (connections are not reset
                    // when returned, see the constructor), so the pool closes it instead.
                    NpgsqlConnection.ClearPool(connection);
                }

                await DisposeListenerAsync(connection).ConfigureAwait(false);
                connection = null;
                _logger.LogWarning(ex, "Lost the listening connection to PostgreSQL at {Server} (database '{Database}'); listening again in {Delay} ms.", Server, DatabaseName, (long)delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, _retryClock, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = delay * 2 < _maxRetryDelay ? delay * 2 : _maxRetryDelay;
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        string payload = e.Payload;
        if (e.Channel == CommitChannel)
        {
            // instance|project|version
            var parts = payload.Split('|');
            if (parts.Length == 3 && long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out long version))
            {
                Announce(new ProjectCommitAnnouncement(new ProjectId(parts[1]), version));
            }

            return;
        }

        // This process raised its own signals when it wrote.
        if (payload == InstanceId)
        {
            return;
        }

        if (e.Channel == WorkChannel)
        {
            WorkChanged.Raise();
        }
        else if (e.Channel == BudgetChannel)
        {
            BudgetChanged.Raise();
        }
    }

    private void Announce(ProjectCommitAnnouncement announcement)
    {
        foreach (var listener in Volatile.Read(ref _announcementListeners))
        {
            try
            {
                listener(announcement);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "A commit announcement listener failed.");
            }
        }
    }

    /// <summary>Runs a statement that returns nothing, with positional parameters ($1, $2...).</summary>
    internal static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a query that returns one value.</summary>
    internal static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return (T)Convert.ChangeType(value!, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>Creates a command with positional parameters; <see langword="null"/> is sent as SQL NULL.</summary>
    internal static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object?[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter switch
            {
                NpgsqlParameter p => p,
                null => new NpgsqlParameter { Value = DBNull.Value },
                _ => new NpgsqlParameter { Value = parameter },
            });
        }

        return command;
    }

    /// <summary>Creates a command of a batch with positional parameters; <see langword="null"/> is sent as SQL NULL.</summary>
    internal static NpgsqlBatchCommand BatchCommand(string sql, params object?[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter switch
            {
                NpgsqlParameter p => p,
                null => new NpgsqlParameter { Value = DBNull.Value },
                _ => new NpgsqlParameter { Value = parameter },
            });
        }

        return command;
    }

    private sealed class Registration(PostgreSqlDatabase database, Action<ProjectCommitAnnouncement> listener) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            lock (database._gate)
            {
                database._announcementListeners = [.. database._announcementListeners.Where(l => !ReferenceEquals(l, listener))];
            }

            return ValueTask.CompletedTask;
        }
    }
}
