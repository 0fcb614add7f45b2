using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VirtualItCompany.Routing;
using VirtualItCompany.Storage.Sqlite;

namespace VirtualItCompany;

/// <summary>Picks SQLite storage for the company: one file for projects, the work queue, the outbox, the model-call journal, artifacts and the budget account.</summary>
public static class SqliteStorageBuilderExtensions
{
    /// <summary>Keeps everything the company stores in one SQLite file, such as <c>Data Source=company.db</c>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The SQLite connection string of the file; it overrides configuration.</param>
    /// <returns>The builder.</returns>
    /// <remarks>See <see cref="UseSqliteStorage(IVirtualItCompanyBuilder, Action{SqliteStorageOptions}?)"/>.</remarks>
    public static IVirtualItCompanyBuilder UseSqliteStorage(this IVirtualItCompanyBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseSqliteStorage(o => o.ConnectionString = connectionString);
    }

    /// <summary>
    /// Keeps projects (events and snapshots), the work queue, the outbox, the model-call journal (the project store is the
    /// journal, as the runtime requires), artifacts and the budget account in one SQLite file, replacing the storage
    /// registered before (in-memory by default). Every process and worker
    /// that opens the file shares its work and its budgets; everything survives a restart.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets options in code, after configuration (<c>VirtualItCompany:Storage:Sqlite</c>, and <c>ConnectionStrings:VirtualItCompany</c> for the connection string) is bound; <see langword="null"/> for configuration only.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// The options are validated and the file is opened when the host starts (or when the store is first resolved): a file
    /// that cannot be used fails with a <see cref="SqliteStorageException"/> that names it and says what to do. The company
    /// limit is <c>VirtualItCompany:Routing:GlobalBudget</c>, applied to the file before the account's first use; spend and
    /// project limits live in the file.
    /// </remarks>
    public static IVirtualItCompanyBuilder UseSqliteStorage(this IVirtualItCompanyBuilder builder, Action<SqliteStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.RemoveAll<IProjectStore>();
        services.RemoveAll<IWorkQueue>();
        services.RemoveAll<IOutbox>();
        services.RemoveAll<IArtifactStore>();
        services.RemoveAll<IBudgetAccount>();

        var options = services.AddOptions<SqliteStorageOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<SqliteStorageOptions>, SqliteStorageOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStorageOptions>, SqliteStorageOptionsSetup>());
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => SqliteDatabase.Open(
            sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ProjectEventTypes>()));
        services.TryAddSingleton(sp => new SqliteBudgetAccount(
            sp.GetRequiredService<SqliteDatabase>(),
            sp.GetService<IOptions<RoutingOptions>>()?.Value.GlobalBudget));
        // The store applies its commits' budget operations to the account in the same file, in the commit's transaction.
        services.TryAddSingleton(sp => new SqliteCompanyStore(sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<SqliteBudgetAccount>()));
        services.AddSingleton<IProjectStore>(sp => sp.GetRequiredService<SqliteCompanyStore>());
        services.AddSingleton<IWorkQueue>(sp => sp.GetRequiredService<SqliteCompanyStore>());
        services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<SqliteCompanyStore>());
        services.AddSingleton<IArtifactStore>(sp => new SqliteArtifactStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IBudgetAccount>(sp => sp.GetRequiredService<SqliteBudgetAccount>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SqliteStorageStartup>());
        return builder;
    }
}
