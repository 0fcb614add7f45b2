using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using VirtualItCompany.Storage.PostgreSql;
using VirtualItCompany.Storage.PostgreSql.Tests;

namespace VirtualItCompany.Storage.Redis.Tests;

/// <summary>A fresh PostgreSQL schema with the Redis queue layered on it (its own key prefix on the shared Redis), as UsePostgreSqlStorage(...).UseRedisQueue(...) builds it.</summary>
internal sealed class RedisPostgreSqlStorage : IAsyncDisposable
{
    private readonly TempSchema _schema;

    private RedisPostgreSqlStorage(TempSchema schema, PostgreSqlCompanyStore postgres, RedisQueueRuntime runtime)
    {
        _schema = schema;
        Postgres = postgres;
        Runtime = runtime;
    }

    public PostgreSqlCompanyStore Postgres { get; }

    public RedisQueueRuntime Runtime { get; }

    public RedisFedProjectStore Store => Runtime.Store;

    public RedisWorkQueue Queue => Runtime.Queue;

    public static async Task<RedisPostgreSqlStorage> CreateAsync(TimeProvider time, Action<RedisQueueOptions>? configure = null, ILoggerFactory? loggers = null)
    {
        var schema = new TempSchema();
        var postgres = await schema.OpenStoreAsync(time);
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
        var runtime = new RedisQueueRuntime(postgres, postgres, postgres, await SharedRedis.ConnectionAsync(), ownsConnection: false, options, time, loggers);
        return new RedisPostgreSqlStorage(schema, postgres, runtime);
    }

    public async ValueTask DisposeAsync()
    {
        await RedisKeys.DeleteAsync(Runtime);
        await _schema.DisposeAsync();
    }
}
