using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VirtualItCompany.Routing;

namespace VirtualItCompany.Storage.Sqlite.Tests;

/// <summary><c>UseSqliteStorage</c> replaces every in-memory store, binds and validates its options, and takes the company limit from the routing options.</summary>
public sealed class DependencyInjectionTests : IAsyncDisposable
{
    private readonly TempDatabase _temp = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _temp.DisposeAsync();

    [Fact]
    public async Task UseSqliteStorage_replaces_every_in_memory_registration()
    {
        var services = new ServiceCollection();
        services.AddVirtualItCompany().AddOfflineModel().UseSqliteStorage(_temp.ConnectionString);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var store = Assert.IsType<SqliteCompanyStore>(provider.GetRequiredService<IProjectStore>());
        Assert.Same(store, provider.GetRequiredService<IWorkQueue>());
        Assert.Same(store, provider.GetRequiredService<IOutbox>());
        Assert.IsAssignableFrom<IModelCallJournal>(store); // the runtime takes the journal from the project store
        Assert.IsType<SqliteArtifactStore>(provider.GetRequiredService<IArtifactStore>());
        Assert.IsType<SqliteBudgetAccount>(provider.GetRequiredService<IBudgetAccount>());
        foreach (var type in new[] { typeof(IProjectStore), typeof(IWorkQueue), typeof(IOutbox), typeof(IArtifactStore), typeof(IBudgetAccount) })
        {
            Assert.Single(services, d => d.ServiceType == type);
        }

        Assert.Equal(_temp.FilePath, provider.GetRequiredService<SqliteDatabase>().FilePath);
        Assert.True(File.Exists(_temp.FilePath));
    }

    [Fact]
    public async Task Options_bind_from_configuration()
    {
        var provider = Build(
            new()
            {
                ["VirtualItCompany:Storage:Sqlite:ConnectionString"] = _temp.ConnectionString,
                ["VirtualItCompany:Storage:Sqlite:BusyTimeout"] = "00:00:02",
                ["VirtualItCompany:Storage:Sqlite:Synchronous"] = "Normal",
                ["VirtualItCompany:Storage:Sqlite:MaxBatchSize"] = "8",
                ["VirtualItCompany:Storage:Sqlite:PageSize"] = "8192",
            });
        await using var _ = provider;

        var options = provider.GetRequiredService<IOptions<SqliteStorageOptions>>().Value;

        Assert.Equal(_temp.ConnectionString, options.ConnectionString);
        Assert.Equal(TimeSpan.FromSeconds(2), options.BusyTimeout);
        Assert.Equal(SqliteSynchronous.Normal, options.Synchronous);
        Assert.Equal(8, options.MaxBatchSize);
        Assert.Equal(8192, options.PageSize);
    }

    [Fact]
    public async Task The_connection_string_falls_back_to_ConnectionStrings_VirtualItCompany_and_code_wins_over_configuration()
    {
        var fromConnectionStrings = Build(new() { ["ConnectionStrings:VirtualItCompany"] = _temp.ConnectionString });
        await using var _ = fromConnectionStrings;
        var fromCode = Build(new() { ["VirtualItCompany:Storage:Sqlite:ConnectionString"] = "Data Source=elsewhere.db" }, b => b.UseSqliteStorage(_temp.ConnectionString));
        await using var __ = fromCode;

        Assert.Equal(_temp.ConnectionString, fromConnectionStrings.GetRequiredService<IOptions<SqliteStorageOptions>>().Value.ConnectionString);
        Assert.Equal(_temp.ConnectionString, fromCode.GetRequiredService<IOptions<SqliteStorageOptions>>().Value.ConnectionString);
    }

    [Fact]
    public async Task Unusable_options_stop_the_host_at_start_listing_every_problem()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VirtualItCompany:Storage:Sqlite:ConnectionString"] = "Data Source=:memory:",
            ["VirtualItCompany:Storage:Sqlite:BusyTimeout"] = "-00:00:01",
            ["VirtualItCompany:Storage:Sqlite:MaxBatchSize"] = "0",
            ["VirtualItCompany:Storage:Sqlite:PageSize"] = "3000",
        });
        builder.Services.AddVirtualItCompany().AddOfflineModel().UseSqliteStorage();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains(ex.Failures, f => f.StartsWith("VirtualItCompany:Storage:Sqlite: ConnectionString", StringComparison.Ordinal) && f.Contains("in-memory", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("BusyTimeout", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("MaxBatchSize", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("PageSize is 3000; it must be a power of two", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_connection_string_says_where_to_set_it()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddVirtualItCompany().AddOfflineModel().UseSqliteStorage();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        var failure = Assert.Single(ex.Failures);
        Assert.Contains("VirtualItCompany:Storage:Sqlite:ConnectionString", failure, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:VirtualItCompany", failure, StringComparison.Ordinal);
        Assert.Contains("UseSqliteStorage(", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_cannot_be_used_stops_the_host_at_start()
    {
        await File.WriteAllTextAsync(_temp.FilePath, string.Concat(Enumerable.Repeat("not a database\n", 100)), Ct);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddVirtualItCompany().AddOfflineModel().UseSqliteStorage(_temp.ConnectionString);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<SqliteStorageException>(() => host.StartAsync(Ct));

        Assert.Equal(SqliteStorageProblem.NotADatabase, ex.Problem);
        Assert.Contains(_temp.FilePath, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_company_limit_comes_from_GlobalBudget_while_spend_and_project_limits_stay_in_the_file()
    {
        var project = ProjectId.New();
        var projectScope = BudgetScope.ForProject(project);
        var first = Build(new() { ["VirtualItCompany:Routing:GlobalBudget"] = "50" }, b => b.UseSqliteStorage(_temp.ConnectionString));
        await using (first)
        {
            var account = first.GetRequiredService<IBudgetAccount>();
            Assert.Equal(50m, (await account.GetBalanceAsync(BudgetScope.Company, Ct)).Limit);
            await account.RaiseLimitAsync(projectScope, 5m, Ct);
            var reservation = (await account.TryReserveAsync(new(project, 1m, "wi_1"), Ct)).Reservation!;
            await account.SettleAsync(reservation, 0.75m, Ct);
        }

        var second = Build(new() { ["VirtualItCompany:Routing:GlobalBudget"] = "80" }, b => b.UseSqliteStorage(_temp.ConnectionString));
        await using (second)
        {
            var account = second.GetRequiredService<IBudgetAccount>();
            Assert.Equal(new BudgetBalance(BudgetScope.Company, 80m, 0.75m, 0m), await account.GetBalanceAsync(BudgetScope.Company, Ct));
            Assert.Equal(new BudgetBalance(projectScope, 5m, 0.75m, 0m), await account.GetBalanceAsync(projectScope, Ct));
            Assert.Equal(80m, second.GetRequiredService<IOptions<RoutingOptions>>().Value.GlobalBudget);
        }
    }

    private ServiceProvider Build(Dictionary<string, string?> configuration, Action<IVirtualItCompanyBuilder>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        var builder = services.AddVirtualItCompany().AddOfflineModel();
        if (configure is null)
        {
            builder.UseSqliteStorage();
        }
        else
        {
            configure(builder);
        }

        return services.BuildServiceProvider();
    }
}
