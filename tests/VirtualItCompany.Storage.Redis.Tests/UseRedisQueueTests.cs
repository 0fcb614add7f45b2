using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VirtualItCompany.Agents;
using VirtualItCompany.Workspace;

namespace VirtualItCompany.Storage.Redis.Tests;

/// <summary>UseRedisQueue as an app uses it: the whole company on SQLite + Redis, and the errors at start.</summary>
public sealed class UseRedisQueueTests : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vic-redis-host-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Three_offline_deliveries_complete_through_the_whole_company_on_sqlite_and_redis()
    {
        var server = await SharedRedis.ServerAsync();
        string prefix = "e2e" + Guid.NewGuid().ToString("N")[..8];
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.Configure<WorkspaceOptions>(o => o.RootDirectory = Path.Combine(_folder, "workspaces"));
        builder.Services.Configure<AgentOptions>(o => o.MonitoringInterval = TimeSpan.FromMilliseconds(100));
        builder.Services.AddVirtualItCompany(o => o.Workers = 4)
            .AddOfflineModel()
            .UseSqliteStorage($"Data Source={Path.Combine(_folder, "company.db")}")
            .UseRedisQueue(o =>
            {
                o.Configuration = server.Configuration;
                o.KeyPrefix = prefix;
            })
            .AddWorker();
        using var host = builder.Build();
        await host.StartAsync(Ct);
        var company = host.Services.GetRequiredService<IDeliveryCompany>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(8));

        var done = await Task.WhenAll(Enumerable.Range(1, 3).Select(i => company.DeliverAsync(
            new ProjectBrief { Title = $"Recipe box {i}", Description = "A small service where a café keeps its recipes.", AcceptanceCriteria = ["Lists the recipes"], Budget = 2m },
            new ClientHandlers(),
            timeout.Token)));
        await host.StopAsync(CancellationToken.None);

        Assert.All(done, p => Assert.Equal(ProjectStatus.Completed, p.Status));
        Assert.IsType<RedisWorkQueue>(host.Services.GetRequiredService<IWorkQueue>());
        Assert.Equal(0, await host.Services.GetRequiredService<IWorkQueue>().CountAsync(Ct));
        var runtime = host.Services.GetRequiredService<RedisQueueRuntime>();
        Assert.Equal(0, runtime.Queue.Fallbacks);
        var redis = (await SharedRedis.ConnectionAsync()).GetDatabase();
        Assert.Equal(0, (await redis.StreamPendingAsync(runtime.Stream.StreamKey, runtime.Stream.Group)).PendingMessageCount);
        // Every item of every project went through the stream and was acknowledged after its commit.
        var info = await redis.StreamGroupInfoAsync(runtime.Stream.StreamKey);
        Assert.True(info.Single().EntriesRead > 3, $"The workers read {info.Single().EntriesRead} entries from the stream.");
        await RedisKeys.DeleteAsync(runtime);
    }

    [Fact]
    public async Task A_store_without_an_outbox_is_refused_at_start_with_what_to_do()
    {
        var server = await SharedRedis.ServerAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var company = builder.Services.AddVirtualItCompany().AddOfflineModel();
        builder.Services.RemoveAll<IOutbox>();
        company.UseRedisQueue(server.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<RedisQueueException>(() => host.StartAsync(Ct));

        Assert.Contains("IOutbox", error.Message, StringComparison.Ordinal);
        Assert.Contains("UsePostgreSqlStorage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_Redis_fails_the_start_naming_the_server()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddVirtualItCompany().AddOfflineModel()
            .UseSqliteStorage($"Data Source={Path.Combine(_folder, "company.db")}")
            .UseRedisQueue("127.0.0.1:1,connectTimeout=300");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<RedisQueueException>(() => host.StartAsync(Ct));

        Assert.Contains("127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.Contains("redis-server runs there", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_from_configuration_are_validated_at_start_and_every_problem_is_listed()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VirtualItCompany:Storage:Redis:MaxDeliveries"] = "0",
            ["VirtualItCompany:Storage:Redis:KeyPrefix"] = "has space",
        });
        builder.Services.AddVirtualItCompany().AddOfflineModel()
            .UseSqliteStorage($"Data Source={Path.Combine(_folder, "company.db")}")
            .UseRedisQueue();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("Configuration is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxDeliveries is 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("KeyPrefix is \"has space\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Redis_without_persistence_gets_a_warning_at_start_and_the_company_still_starts()
    {
        await using var server = await RedisServer.StartAsync(persistent: false);
        var logs = new LogCollector();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddProvider(logs);
        builder.Services.AddVirtualItCompany().AddOfflineModel()
            .UseSqliteStorage($"Data Source={Path.Combine(_folder, "company.db")}")
            .UseRedisQueue(server.Configuration);
        using (var host = builder.Build())
        {
            await host.StartAsync(Ct);
            await host.StopAsync(CancellationToken.None);
        }

        Assert.Contains(logs.Messages, m => m.Level == LogLevel.Warning && m.Text.Contains("keeps no data across a restart", StringComparison.Ordinal) && m.Text.Contains("appendonly yes", StringComparison.Ordinal));

        await using var persistent = await RedisServer.StartAsync(persistent: true);
        var quiet = new LogCollector();
        var again = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        again.Logging.AddProvider(quiet);
        again.Services.AddVirtualItCompany().AddOfflineModel()
            .UseSqliteStorage($"Data Source={Path.Combine(_folder, "company2.db")}")
            .UseRedisQueue(persistent.Configuration);
        using (var host = again.Build())
        {
            await host.StartAsync(Ct);
            await host.StopAsync(CancellationToken.None);
        }

        Assert.DoesNotContain(quiet.Messages, m => m.Text.Contains("keeps no data across a restart", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_starting_while_another_process_rebuilds_the_stream_starts_and_uses_the_stream_once_it_is_ready()
    {
        var server = await SharedRedis.ServerAsync();
        string prefix = "rb" + Guid.NewGuid().ToString("N")[..8];
        var redis = (await SharedRedis.ConnectionAsync()).GetDatabase();
        // Another process holds the rebuild lock of a stream that has no marker yet (Redis lost its data, say).
        string lockKey = prefix + ":work:rebuilding";
        Assert.True(await redis.StringSetAsync(lockKey, "another process", TimeSpan.FromMinutes(1)));
        var logs = new LogCollector();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddProvider(logs);
        builder.Services.AddVirtualItCompany().AddOfflineModel()
            .UseSqliteStorage($"Data Source={Path.Combine(_folder, "company.db")}")
            .UseRedisQueue(o =>
            {
                o.Configuration = server.Configuration;
                o.KeyPrefix = prefix;
            });
        using var host = builder.Build();
        var runtime = host.Services.GetRequiredService<RedisQueueRuntime>();
        Assert.Equal(lockKey, runtime.Stream.RebuildLockKey.ToString());
        try
        {
            await host.StartAsync(Ct); // threw RedisQueueException ("Another process is rebuilding ...") before
            Assert.Contains(logs.Messages, m => m.Text.Contains("Another process is rebuilding", StringComparison.Ordinal));

            // The other process is gone without finishing (its lock lapses): the next use rebuilds the stream here.
            await redis.KeyDeleteAsync(lockKey);
            await runtime.Relay.EnsureReadyAsync(Ct);
            Assert.Equal(1, runtime.Relay.Rebuilds);
            await host.StopAsync(CancellationToken.None);
        }
        finally
        {
            await RedisKeys.DeleteAsync(runtime);
        }
    }

    private sealed class LogCollector : ILoggerProvider
    {
        public ConcurrentBag<(LogLevel Level, string Text)> Messages { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(LogCollector owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Messages.Add((logLevel, formatter(state, exception)));
        }
    }
}
