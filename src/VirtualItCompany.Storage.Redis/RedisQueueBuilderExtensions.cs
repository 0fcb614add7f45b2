using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VirtualItCompany.Storage.Redis;

namespace VirtualItCompany;

/// <summary>Delivers the company's work through Redis Streams on top of the registered, authoritative store.</summary>
public static class RedisQueueBuilderExtensions
{
    /// <summary>Delivers work through Redis at a StackExchange.Redis configuration string, such as <c>localhost:6379</c>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The Redis configuration string; it overrides configuration.</param>
    /// <returns>The builder.</returns>
    /// <remarks>See <see cref="UseRedisQueue(IVirtualItCompanyBuilder, Action{RedisQueueOptions}?)"/>.</remarks>
    public static IVirtualItCompanyBuilder UseRedisQueue(this IVirtualItCompanyBuilder builder, string configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return builder.UseRedisQueue(o => o.Configuration = configuration);
    }

    /// <summary>
    /// Delivers work through a Redis stream with a consumer group, layered on the store registered before (call it after
    /// <c>UsePostgreSqlStorage</c> or <c>UseSqliteStorage</c>): the store's queue stays the truth and its outbox feeds the stream,
    /// workers lease the items Redis hands them in the store (fenced), and the stream is rebuilt from the store after Redis loses it.
    /// Commits are also announced on Redis pub/sub (<c>{KeyPrefix}:commits</c>, registered as <see cref="IProjectCommitAnnouncer"/>),
    /// so <see cref="IDeliveryCompany.WatchAsync"/> in one process follows what workers commit in others.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets options in code, after configuration (<c>VirtualItCompany:Storage:Redis</c>) is bound; <see langword="null"/> for configuration only.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// When the host starts, the options are validated, Redis is connected (an unreachable server fails with a
    /// <see cref="RedisQueueException"/> that names it), a store without an outbox is refused, and a Redis without persistence
    /// gets a warning. While Redis is away, workers lease from the store directly.
    /// </remarks>
    /// <exception cref="InvalidOperationException">No project store or work queue is registered yet.</exception>
    public static IVirtualItCompanyBuilder UseRedisQueue(this IVirtualItCompanyBuilder builder, Action<RedisQueueOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<RedisQueueOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<RedisQueueOptions>, RedisQueueOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisQueueOptions>, RedisQueueOptionsSetup>());
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        if (services.Any(d => d.ServiceType == typeof(RedisQueueRuntime)))
        {
            return builder;
        }

        KeepInner<IProjectStore>(services);
        KeepInner<IWorkQueue>(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(RedisQueueRuntime.Create);
        services.AddSingleton<IProjectStore>(sp => sp.GetRequiredService<RedisQueueRuntime>().Store);
        services.AddSingleton<IWorkQueue>(sp => sp.GetRequiredService<RedisQueueRuntime>().Queue);
        // The live feed across processes on pub/sub (the store's own announcer, such as PostgreSQL's NOTIFY, is not listened to then).
        services.RemoveAll<IProjectCommitAnnouncer>();
        services.AddSingleton<IProjectCommitAnnouncer>(sp => sp.GetRequiredService<RedisQueueRuntime>().Announcer);
        services.AddSingleton<IHostedService, RedisQueueService>();
        return builder;
    }

    /// <summary>Moves the registration of a storage service under <see cref="RedisQueueRuntime.InnerKey"/>, where the Redis queue finds the store it layers on.</summary>
    private static void KeepInner<T>(IServiceCollection services)
        where T : class
    {
        var descriptor = services.LastOrDefault(d => d.ServiceType == typeof(T) && !d.IsKeyedService)
            ?? throw new InvalidOperationException($"UseRedisQueue layers on the registered store, but no {typeof(T).Name} is registered yet; call AddVirtualItCompany() and UsePostgreSqlStorage(...) or UseSqliteStorage(...) before UseRedisQueue(...).");
        services.RemoveAll<T>();
        services.Add(descriptor switch
        {
            { ImplementationInstance: { } instance } => ServiceDescriptor.KeyedSingleton(typeof(T), RedisQueueRuntime.InnerKey, instance),
            { ImplementationFactory: { } factory } => ServiceDescriptor.KeyedSingleton(typeof(T), RedisQueueRuntime.InnerKey, (sp, _) => factory(sp)),
            _ => ServiceDescriptor.KeyedSingleton(typeof(T), RedisQueueRuntime.InnerKey, descriptor.ImplementationType!),
        });
    }
}
