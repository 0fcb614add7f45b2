using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Storage.PostgreSql.Tests;

/// <summary>UsePostgreSqlStorage: options bound from configuration, validated and connected when the host starts.</summary>
public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task Options_bind_from_configuration_and_the_host_starts_on_the_schema()
    {
        await using var schema = new TempSchema();
        using var host = Build(new Dictionary<string, string?>
        {
            ["ConnectionStrings:VirtualItCompany"] = TestPostgres.ConnectionString,
            ["VirtualItCompany:Storage:PostgreSql:Schema"] = schema.Name,
            ["VirtualItCompany:Storage:PostgreSql:MaxRetryAttempts"] = "4",
        });

        await host.StartAsync(Work.Ct);

        var options = host.Services.GetRequiredService<IOptions<PostgreSqlStorageOptions>>().Value;
        Assert.Equal(schema.Name, options.Schema);
        Assert.Equal(4, options.MaxRetryAttempts);
        Assert.Equal(TestPostgres.ConnectionString, options.ConnectionString);
        var store = host.Services.GetRequiredService<IProjectStore>();
        Assert.IsType<PostgreSqlCompanyStore>(store);
        Assert.Same(store, host.Services.GetRequiredService<IWorkQueue>());
        Assert.Same(((IBudgetCommitStore)store).BudgetAccount, host.Services.GetRequiredService<IBudgetAccount>());
        Assert.IsType<PostgreSqlArtifactStore>(host.Services.GetRequiredService<IArtifactStore>());
        Assert.Equal(1L, await TestPostgres.ScalarAsync<long>($"SELECT count(*) FROM pg_namespace WHERE nspname = '{schema.Name}';"));
        await host.StopAsync(Work.Ct);
    }

    [Fact]
    public async Task Missing_options_stop_the_start_listing_every_problem()
    {
        using var host = Build(new Dictionary<string, string?> { ["VirtualItCompany:Storage:PostgreSql:Schema"] = "Not Valid" });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Work.Ct));

        Assert.Contains(ex.Failures, f => f.Contains("ConnectionString is not set", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Schema is \"Not Valid\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_password_stops_the_start_with_the_clear_error()
    {
        var builder = new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { Password = "wrong" };
        using var host = Build(new Dictionary<string, string?> { ["VirtualItCompany:Storage:PostgreSql:ConnectionString"] = builder.ConnectionString, ["VirtualItCompany:Storage:PostgreSql:Schema"] = TestPostgres.NewSchema() });

        var ex = await Assert.ThrowsAsync<PostgreSqlStorageException>(() => host.StartAsync(Work.Ct));

        Assert.Equal(PostgreSqlStorageProblem.AuthenticationFailed, ex.Problem);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<IChatClient>(new FakeChatClient("fake-model", new ModelPricing(1m, 2m)));
        builder.Services.AddVirtualItCompany().UsePostgreSqlStorage();
        return builder.Build();
    }
}
