using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using VirtualItCompany.Storage.Sqlite;

namespace VirtualItCompany.Storage.Redis.Tests;

/// <summary>A fresh SQLite file with the Redis queue layered on it (its own key prefix on the shared or a given Redis), as UseRedisQueue builds it.</summary>
internal sealed class RedisSqliteStorage : IAsyncDisposable
{
    private readonly string _folder;
    private readonly SqliteDatabase _database;

    private RedisSqliteStorage(string folder, SqliteDatabase database, SqliteCompanyStore sqlite, RedisQueueRuntime runtime)
    {
        _folder = folder;
        _database = database;
        Sqlite = sqlite;
        Runtime = runtime;
    }

    public SqliteCompanyStore Sqlite { get; }

    public RedisQueueRuntime Runtime { get; }

    public RedisFedProjectStore Store => Runtime.Store;

    public RedisWorkQueue Queue => Runtime.Queue;

    public WorkStream Stream => Runtime.Stream;

    public IDatabase Redis => Runtime.Connection.GetDatabase();

    public static async Task<RedisSqliteStorage> CreateAsync(TimeProvider time, Action<RedisQueueOptions>? configure = null, IConnectionMultiplexer? connection = null, ILoggerFactory? loggers = null)
    {
        string folder = Directory.CreateTempSubdirectory("vic-redis-sqlite-").FullName;
        var database = SqliteDatabase.Open(new SqliteStorageOptions { ConnectionString = $"Data Source={Path.Combine(folder, "company.db")}" }, time);
        var budget = new SqliteBudgetAccount(database);
        var sqlite = new SqliteCompanyStore(database, budget);
        var server = await SharedRedis.ServerAsync();
        var options = new RedisQueueOptions
        {
            Configuration = server.Configuration,
            KeyPrefix = "t" + Guid.NewGuid().ToString("N")[..12],
            ClaimMinIdle = TimeSpan.Zero,
            MaxDeliveries = 1000,
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        };
        configure?.Invoke(options);
        var runtime = new RedisQueueRuntime(sqlite, sqlite, sqlite, connection ?? await SharedRedis.ConnectionAsync(), ownsConnection: false, options, time, loggers);
        return new RedisSqliteStorage(folder, database, sqlite, runtime);
    }

    public async ValueTask DisposeAsync()
    {
        await RedisKeys.DeleteAsync(Runtime);
        await _database.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
