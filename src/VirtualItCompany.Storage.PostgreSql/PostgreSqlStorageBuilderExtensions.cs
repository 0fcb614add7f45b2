using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VirtualItCompany.Routing;
using VirtualItCompany.Storage.PostgreSql;

namespace VirtualItCompany;

/// <summary>Picks PostgreSQL storage for the company: one schema for projects, the work queue, the outbox, the model-call journal, artifacts and the budget account, shared by every worker on every machine.</summary>
public static class PostgreSqlStorageBuilderExtensions
{
    /// <summary>Keeps everything the company stores in a PostgreSQL database, such as <c>Host=db;Database=company;Username=app;Password=...</c>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The Npgsql connection string; it overrides configuration.</param>
    /// <returns>The builder.</returns>
    /// <remarks>See <see cref="UsePostgreSqlStorage(IVirtualItCompanyBuilder, Action{PostgreSqlStorageOptions}?)"/>.</remarks>
    public static IVirtualItCompanyBuilder UsePostgreSqlStorage(this IVirtualItCompanyBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgreSqlStorage(o => o.ConnectionString = connectionString);
    }

    /// <summary>
    /// Keeps projects (events and snapshots), the work queue, the outbox, the model-call journal (the project store is the
    /// journal, as the runtime requires), artifacts and the budget account in a schema of a PostgreSQL database, replacing
    /// the storage registered before (in-memory by default). Every process on every machine that uses the schema shares its
    /// work, its budgets and (through <see cref="IProjectCommitAnnouncer"/>) its live event feed.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets options in code, after configuration (<c>VirtualItCompany:Storage:PostgreSql</c>, and <c>ConnectionStrings:VirtualItCompany</c> for the connection string) is bound; <see langword="null"/> for configuration only.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// The options are validated, and the database is connected to and migrated, when the host starts (or when the store is
    /// first resolved): a database that cannot be used fails with a <see cref="PostgreSqlStorageException"/> that names the
    /// server, the database and what to fix. Transient faults (a server restart) are retried with backoff. The company limit is
    /// <c>VirtualItCompany:Routing:GlobalBudget</c>, applied before the account's first use.
    /// </remarks>
    public static IVirtualItCompanyBuilder UsePostgreSqlStorage(this IVirtualItCompanyBuilder builder, Action<PostgreSqlStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.RemoveAll<IProjectStore>();
        services.RemoveAll<IWorkQueue>();
        services.RemoveAll<IOutbox>();
        services.RemoveAll<IArtifactStore>();
        services.RemoveAll<IBudgetAccount>();

        var options = services.AddOptions<PostgreSqlStorageOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<PostgreSqlStorageOptions>, PostgreSqlStorageOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStorageOptions>, PostgreSqlStorageOptionsSetup>());
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        // Opening connects and migrates (a few round trips), once, when the host starts.
        services.TryAddSingleton(sp => PostgreSqlDatabase.OpenAsync(
            sp.GetRequiredService<IOptions<PostgreSqlStorageOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ProjectEventTypes>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger("VirtualItCompany.Storage.PostgreSql")).GetAwaiter().GetResult());
        services.TryAddSingleton(sp => new PostgreSqlBudgetAccount(
            sp.GetRequiredService<PostgreSqlDatabase>(),
            sp.GetService<IOptions<RoutingOptions>>()?.Value.GlobalBudget));
        // The store applies its commits' budget operations to the account in the same schema, in the commit's transaction.
        services.TryAddSingleton(sp => new PostgreSqlCompanyStore(sp.GetRequiredService<PostgreSqlDatabase>(), sp.GetRequiredService<PostgreSqlBudgetAccount>()));
        services.AddSingleton<IProjectStore>(sp => sp.GetRequiredService<PostgreSqlCompanyStore>());
        services.AddSingleton<IWorkQueue>(sp => sp.GetRequiredService<PostgreSqlCompanyStore>());
        services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<PostgreSqlCompanyStore>());
        services.AddSingleton<IArtifactStore>(sp => new PostgreSqlArtifactStore(sp.GetRequiredService<PostgreSqlDatabase>()));
        services.AddSingleton<IBudgetAccount>(sp => sp.GetRequiredService<PostgreSqlBudgetAccount>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgreSqlStorageStartup>());
        return builder;
    }
}
