using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace VirtualItCompany.Storage.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL server of the tests, from <c>VIRTUALITCOMPANY_TEST_POSTGRES</c> (eng/test-servers.sh starts one and
/// prints it). Without it the tests fail, saying how to start one: they never skip.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "VIRTUALITCOMPANY_TEST_POSTGRES";

    private const string Hint = "Start the test servers and export their addresses with: source <(bash eng/test-servers.sh env)  (stop them with: bash eng/test-servers.sh stop).";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Variable} is not set, so the PostgreSQL tests have no server. {Hint}");

    public static NpgsqlConnectionStringBuilder Builder => new(ConnectionString);

    /// <summary>A fresh schema name, so that tests running in parallel never see each other's tables.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..20];

    public static PostgreSqlStorageOptions Options(string schema, Action<PostgreSqlStorageOptions>? configure = null)
    {
        var options = new PostgreSqlStorageOptions { ConnectionString = ConnectionString, Schema = schema, MaxRetryAttempts = 3 };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Opens the store's database in a schema, explaining an unreachable server.</summary>
    public static async Task<PostgreSqlDatabase> OpenAsync(string schema, TimeProvider? time = null, Action<PostgreSqlStorageOptions>? configure = null)
    {
        try
        {
            return await PostgreSqlDatabase.OpenAsync(Options(schema, configure), time ?? TimeProvider.System, cancellationToken: TestContext.Current.CancellationToken);
        }
        catch (PostgreSqlStorageException ex) when (ex.Problem is PostgreSqlStorageProblem.CannotConnect or PostgreSqlStorageProblem.AuthenticationFailed && configure is null)
        {
            throw new InvalidOperationException($"The test PostgreSQL server ({Variable}) is not reachable: {ex.Message} {Hint}", ex);
        }
    }

    /// <summary>Runs SQL on the server outside the store (no pooling, so connections really close).</summary>
    public static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public static async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public static Task DropSchemaAsync(string schema) => ExecuteAsync($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;");
}

/// <summary>A schema of its own for a test, with the databases opened on it (several: one per simulated process); dropped when the test ends.</summary>
internal sealed class TempSchema : IAsyncDisposable
{
    private readonly List<PostgreSqlDatabase> _opened = [];

    public string Name { get; } = TestPostgres.NewSchema();

    public async Task<PostgreSqlDatabase> OpenAsync(TimeProvider? time = null, Action<PostgreSqlStorageOptions>? configure = null)
    {
        var database = await TestPostgres.OpenAsync(Name, time, configure);
        _opened.Add(database);
        return database;
    }

    public async Task<PostgreSqlCompanyStore> OpenStoreAsync(TimeProvider? time = null)
    {
        var database = await OpenAsync(time);
        return new PostgreSqlCompanyStore(database, new PostgreSqlBudgetAccount(database));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _opened)
        {
            await database.DisposeAsync();
        }

        await TestPostgres.DropSchemaAsync(Name);
    }
}
