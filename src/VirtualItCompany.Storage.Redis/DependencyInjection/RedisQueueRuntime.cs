using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace VirtualItCompany.Storage.Redis;

/// <summary>The Redis queue's parts over the registered store: the connection, the stream, the relay, the queue and the store that feeds it.</summary>
internal sealed class RedisQueueRuntime : IAsyncDisposable
{
    /// <summary>The key the store's own registrations are kept under once the Redis queue replaces them.</summary>
    public const string InnerKey = "VirtualItCompany.Storage.Redis:inner";

    public RedisQueueRuntime(IProjectStore innerStore, IWorkQueue innerQueue, IOutbox? outbox, IConnectionMultiplexer connection, bool ownsConnection, RedisQueueOptions options, TimeProvider time, ILoggerFactory? loggers)
    {
        var logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger("VirtualItCompany.Storage.Redis");
        if (outbox is null)
        {
            throw new RedisQueueException($"UseRedisQueue needs the registered store to have a transactional outbox (IOutbox), which feeds the Redis stream in the same commit as the work; the registered store ({innerStore.GetType().Name}) has none. Register one that does first, such as UsePostgreSqlStorage(...) or UseSqliteStorage(...), then UseRedisQueue(...).");
        }

        if (innerQueue is not IAddressableWorkQueue addressable)
        {
            throw new RedisQueueException($"UseRedisQueue needs the registered work queue ({innerQueue.GetType().Name}) to lease items by id (IAddressableWorkQueue), so that the store stays the truth of who holds an item; register a store that does first, such as UsePostgreSqlStorage(...) or UseSqliteStorage(...), then UseRedisQueue(...).");
        }

        Connection = connection;
        OwnsConnection = ownsConnection;
        Stream = new WorkStream(connection, options, time, logger);
        Relay = new OutboxRelay(Stream, outbox, addressable, logger);
        Queue = new RedisWorkQueue(addressable, Stream, Relay, logger);
        Announcer = new RedisCommitAnnouncer(connection, options, logger);
        Store = innerStore switch
        {
            IModelCallJournal and IAbandonedCallSweep => new RedisFedSweepingProjectStore(innerStore, Queue, Relay, Announcer, options, logger),
            IModelCallJournal => new RedisFedJournalingProjectStore(innerStore, Queue, Relay, Announcer, options, logger),
            _ => new RedisFedProjectStore(innerStore, Queue, Relay, Announcer, options, logger),
        };
        Logger = logger;
    }

    public IConnectionMultiplexer Connection { get; }

    public bool OwnsConnection { get; }

    public WorkStream Stream { get; }

    public OutboxRelay Relay { get; }

    public RedisWorkQueue Queue { get; }

    public RedisFedProjectStore Store { get; }

    /// <summary>Gets the commit announcer on Redis pub/sub, registered as the company's <see cref="IProjectCommitAnnouncer"/>.</summary>
    public RedisCommitAnnouncer Announcer { get; }

    public ILogger Logger { get; }

    /// <summary>Builds the runtime from a service provider: the store registered before UseRedisQueue, and a connection made from the options.</summary>
    public static RedisQueueRuntime Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<RedisQueueOptions>>().Value;
        var store = services.GetRequiredKeyedService<IProjectStore>(InnerKey);
        var queue = services.GetRequiredKeyedService<IWorkQueue>(InnerKey);
        var outbox = services.GetService<IOutbox>();
        var connection = Connect(options);
        try
        {
            return new RedisQueueRuntime(store, queue, outbox, connection, ownsConnection: true, options, services.GetService<TimeProvider>() ?? TimeProvider.System, services.GetService<ILoggerFactory>());
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Connects to Redis, failing with a message that names the server and what to check.</summary>
    public static ConnectionMultiplexer Connect(RedisQueueOptions options)
    {
        var problems = options.GetProblems();
        if (problems.Count > 0)
        {
            throw new RedisQueueException($"{RedisQueueOptions.SectionName} is not usable: " + string.Join(" ", problems));
        }

        var configuration = ConfigurationOptions.Parse(options.Configuration!);
        configuration.AbortOnConnectFail = true;
        try
        {
            return ConnectionMultiplexer.Connect(configuration);
        }
        catch (RedisConnectionException ex)
        {
            throw new RedisQueueException($"Could not connect to Redis at \"{RedisQueueOptions.Redact(options.Configuration!)}\" ({RedisQueueOptions.SectionName}:Configuration): {ex.Message} Check that redis-server runs there and that the host, port, password and ssl settings are right.", ex);
        }
    }

    /// <summary>Warns when Redis keeps no data across a restart; the store is the truth, so the stream is rebuilt from it then.</summary>
    public async Task CheckPersistenceAsync()
    {
        try
        {
            var server = Connection.GetServer(Connection.GetEndPoints()[0]);
            var config = await server.ConfigGetAsync("*").ConfigureAwait(false);
            string aof = config.FirstOrDefault(p => p.Key == "appendonly").Value ?? "";
            string save = config.FirstOrDefault(p => p.Key == "save").Value ?? "";
            if (!string.Equals(aof, "yes", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(save))
            {
                Logger.LogWarning(
                    "Redis at {Server} keeps no data across a restart (appendonly is \"{Aof}\", save is empty). The work queue stays correct, because the store is authoritative and the stream is rebuilt from it after a restart, but the rebuild costs time; turn persistence on (appendonly yes) to avoid it.",
                    server.EndPoint.ToString(), aof);
            }
        }
        catch (RedisCommandException)
        {
            // StackExchange.Redis sends CONFIG only with allowAdmin=true in the configuration string.
            Logger.LogInformation("Did not check whether Redis keeps its data across a restart: CONFIG GET needs allowAdmin=true in {Section}:Configuration. The store stays authoritative either way.", RedisQueueOptions.SectionName);
        }
        catch (RedisException ex)
        {
            Logger.LogInformation(ex, "Could not read Redis's persistence settings (CONFIG GET may be disabled); the store stays authoritative either way.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (OwnsConnection)
        {
            await Connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
