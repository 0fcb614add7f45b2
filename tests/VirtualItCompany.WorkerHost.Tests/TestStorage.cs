using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using VirtualItCompany.Storage.PostgreSql.Tests;
using VirtualItCompany.Storage.Redis.Tests;

namespace VirtualItCompany.WorkerHost.Tests;

/// <summary>The database a test's worker hosts share: its settings for the hosts, a connection for the test's probes, and the same store in-process.</summary>
public abstract class TestStorage : IAsyncDisposable
{
    /// <summary>The worker host settings that point at this database.</summary>
    public abstract IReadOnlyList<string> Settings { get; }

    /// <summary>Opens a connection for reading the store's tables beside the workers.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Uses the same store in a host of the test's own.</summary>
    public abstract IVirtualItCompanyBuilder Use(IVirtualItCompanyBuilder company);

    /// <summary>Disrupts what the workers depend on besides the database, mid-run; returns what it did, or <see langword="null"/> when there is nothing to disrupt.</summary>
    public virtual Task<string?> DisruptAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>What a process of the company logs when it sees and recovers from <see cref="DisruptAsync"/> (any one of them), or <see langword="null"/>.</summary>
    public virtual IReadOnlyList<string>? DisruptionEvidence => null;

    /// <summary>
    /// Tells whether some process holds the database's write lock for longer than a write takes (a stopped worker that
    /// does stops every other one's writes, since SQLite has one writer per file and never breaks a live process's lock).
    /// </summary>
    public virtual Task<bool> IsWriteLockHeldAsync(CancellationToken cancellationToken) => Task.FromResult(false);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>One SQLite file in the fleet's folder.</summary>
internal sealed class SqliteTestStorage(string folder) : TestStorage
{
    private readonly string _path = Path.Combine(folder, "company.db");

    public override IReadOnlyList<string> Settings => ["--WorkerHost:Storage=Sqlite", $"--VirtualItCompany:Storage:Sqlite:ConnectionString=Data Source={_path}"];

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection($"Data Source={_path};Mode=ReadOnly;Pooling=False;Default Timeout=10");
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public override IVirtualItCompanyBuilder Use(IVirtualItCompanyBuilder company) => company.UseSqliteStorage("Data Source=" + _path);

    public override async Task<bool> IsWriteLockHeldAsync(CancellationToken cancellationToken)
    {
        // The workers' writes hold the lock for milliseconds: waiting 2 s for it and not getting it means a stopped holder.
        await using var connection = new SqliteConnection($"Data Source={_path};Mode=ReadWrite;Pooling=False;Default Timeout=2");
        await connection.OpenAsync(cancellationToken);
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        try
        {
            await begin.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED
        {
            return true;
        }

        await using var rollback = connection.CreateCommand();
        rollback.CommandText = "ROLLBACK;";
        await rollback.ExecuteNonQueryAsync(cancellationToken);
        return false;
    }
}

/// <summary>
/// A fresh database on the PostgreSQL server of <c>VIRTUALITCOMPANY_TEST_POSTGRES</c> (eng/test-servers.sh starts one),
/// dropped at the end. The variable unset fails the test: CI must run it.
/// </summary>
internal sealed class PostgreSqlTestStorage : TestStorage
{
    public const string Variable = "VIRTUALITCOMPANY_TEST_POSTGRES";

    private readonly string _server;
    private readonly PrivatePostgreSqlServer? _private;
    private readonly string _database = "vic_workerhost_" + Guid.NewGuid().ToString("N")[..12];

    private PostgreSqlTestStorage(string server, PrivatePostgreSqlServer? privateServer)
    {
        _server = server;
        _private = privateServer;
    }

    /// <summary>A database on the shared test server.</summary>
    public static async Task<PostgreSqlTestStorage> CreateAsync(CancellationToken cancellationToken)
    {
        string? server = Environment.GetEnvironmentVariable(Variable);
        Assert.False(string.IsNullOrWhiteSpace(server), $"{Variable} is not set: start the test servers with `source <(bash eng/test-servers.sh env)` (CI does), then run the tests again.");
        var storage = new PostgreSqlTestStorage(server!, null);
        await storage.CreateDatabaseAsync(cancellationToken);
        return storage;
    }

    /// <summary>A database on a PostgreSQL server of the test's own (eng/test-servers.sh, a private state folder), which <see cref="DisruptAsync"/> restarts mid-run.</summary>
    public static async Task<PostgreSqlTestStorage> CreatePrivateAsync(CancellationToken cancellationToken)
    {
        var server = await PrivatePostgreSqlServer.StartAsync(cancellationToken);
        try
        {
            var storage = new PostgreSqlTestStorage(server.ConnectionString, server);
            await storage.CreateDatabaseAsync(cancellationToken);
            return storage;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public override async Task<string?> DisruptAsync(CancellationToken cancellationToken)
    {
        if (_private is null)
        {
            return null;
        }

        await _private.RestartAsync(cancellationToken);
        return "PostgreSQL restarted (pg_ctl restart -m fast: every connection of every worker closed)";
    }

    // Logged by PostgreSqlDatabase when an operation fails on a lost connection and is tried again, or when its listening
    // connection is lost (it listens again; that every project completes shows the rest carried on). A host may see no
    // operation fail at all (none in flight at the restart, its pooled connections replaced): a CI run saw only the
    // listener's message.
    public override IReadOnlyList<string>? DisruptionEvidence => _private is null ? null : ["failed with a transient fault", "Lost the listening connection to PostgreSQL"];

    private async Task CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync(cancellationToken);
        await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    // A worker paused (SIGSTOP) inside a transaction keeps its row locks, and the queue's SKIP LOCKED then skips its items
    // for as long as it is paused: the server ends such a session after a while, as the worker host's README advises.
    private string ConnectionString => new NpgsqlConnectionStringBuilder(_server) { Database = _database, Options = "-c idle_in_transaction_session_timeout=5000" }.ConnectionString;

    public override IReadOnlyList<string> Settings => ["--WorkerHost:Storage=PostgreSql", $"--VirtualItCompany:Storage:PostgreSql:ConnectionString={ConnectionString}"];

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        // The store's tables live in its schema (PostgreSqlStorageOptions.Schema), not in public.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = VirtualItCompany.Storage.PostgreSql.PostgreSqlStorageOptions.DefaultSchema, Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public override IVirtualItCompanyBuilder Use(IVirtualItCompanyBuilder company) => company.UsePostgreSqlStorage(ConnectionString);

    public override async ValueTask DisposeAsync()
    {
        if (_private is not null)
        {
            await _private.DisposeAsync(); // the server goes, with its data
            return;
        }

        try
        {
            await using var connection = new NpgsqlConnection(_server);
            await connection.OpenAsync(CancellationToken.None);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException e)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"could not drop {_database}: {e.Message}"));
        }

    }
}

/// <summary>
/// PostgreSQL (as <see cref="PostgreSqlTestStorage"/>) with the work delivered through Redis Streams
/// (<c>WorkerHost:Queue=Redis</c>) on a private <c>redis-server</c> of the test, without persistence, so that a restart
/// mid-run loses the stream and the workers must rebuild it from PostgreSQL.
/// </summary>
internal sealed class PostgreSqlRedisTestStorage : TestStorage
{
    private readonly PostgreSqlTestStorage _postgres;
    private readonly RedisServer _redis;

    private PostgreSqlRedisTestStorage(PostgreSqlTestStorage postgres, RedisServer redis)
    {
        _postgres = postgres;
        _redis = redis;
    }

    public static async Task<PostgreSqlRedisTestStorage> CreateAsync(CancellationToken cancellationToken)
    {
        var postgres = await PostgreSqlTestStorage.CreateAsync(cancellationToken);
        try
        {
            return new PostgreSqlRedisTestStorage(postgres, await RedisServer.StartAsync());
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    public override IReadOnlyList<string> Settings =>
    [
        .. _postgres.Settings,
        "--WorkerHost:Queue=Redis",
        $"--VirtualItCompany:Storage:Redis:Configuration={_redis.Endpoint},connectTimeout=2000",
    ];

    public override Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => _postgres.OpenAsync(cancellationToken);

    public override IVirtualItCompanyBuilder Use(IVirtualItCompanyBuilder company) => _postgres.Use(company);

    public override async Task<string?> DisruptAsync(CancellationToken cancellationToken)
    {
        await _redis.RestartAsync();
        return "Redis killed and restarted empty (no persistence)";
    }

    // Logged by the relay when the stream's marker is gone (VirtualItCompany.Storage.Redis's OutboxRelay).
    public override IReadOnlyList<string>? DisruptionEvidence => ["rebuilt it from the store's queue"];

    public override async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
