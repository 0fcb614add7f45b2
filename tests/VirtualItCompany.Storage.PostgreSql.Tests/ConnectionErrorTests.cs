using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace VirtualItCompany.Storage.PostgreSql.Tests;

/// <summary>Wrong connection strings fail at once (or after the retries, for an unreachable server) with a message that names the server, the database and what to fix.</summary>
public sealed class ConnectionErrorTests
{
    [Fact]
    public async Task A_wrong_password_names_the_server_the_database_and_the_credentials_to_check()
    {
        var builder = TestPostgres.Builder;
        builder.Password = "not-the-password";

        var ex = await Assert.ThrowsAsync<PostgreSqlStorageException>(() => OpenAsync(builder));

        Assert.Equal(PostgreSqlStorageProblem.AuthenticationFailed, ex.Problem);
        Assert.Equal($"{builder.Host}:{builder.Port}", ex.Server);
        Assert.Contains($"{builder.Host}:{builder.Port}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"database '{builder.Database}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Username and Password", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_nothing_listens_on_names_the_server_and_says_to_check_host_and_port()
    {
        var builder = TestPostgres.Builder;
        builder.Port = FreePort();

        var ex = await Assert.ThrowsAsync<PostgreSqlStorageException>(() => OpenAsync(builder, retries: 1));

        Assert.Equal(PostgreSqlStorageProblem.CannotConnect, ex.Problem);
        Assert.Contains($"{builder.Host}:{builder.Port}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be reached", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Host and Port", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_that_does_not_exist_says_to_create_it()
    {
        var builder = TestPostgres.Builder;
        builder.Database = "no_such_database_" + Guid.NewGuid().ToString("N")[..8];

        var ex = await Assert.ThrowsAsync<PostgreSqlStorageException>(() => OpenAsync(builder));

        Assert.Equal(PostgreSqlStorageProblem.DatabaseMissing, ex.Problem);
        Assert.Equal(builder.Database, ex.Database);
        Assert.Contains("createdb", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_list_every_problem_with_what_to_do()
    {
        var options = new PostgreSqlStorageOptions { ConnectionString = "Port=5432", Schema = "Bad-Name", MaxRetryAttempts = -1, RetryDelay = TimeSpan.Zero };

        var problems = options.GetProblems();

        Assert.Contains(problems, p => p.Contains("Host=", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Database=", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Schema is \"Bad-Name\"", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("MaxRetryAttempts", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("RetryDelay", StringComparison.Ordinal));
        Assert.Contains("UsePostgreSqlStorage", new PostgreSqlStorageOptions().GetProblems().Single(), StringComparison.Ordinal);
        Assert.Contains(new PostgreSqlStorageOptions { ConnectionString = "Host=a;Database=b;Bogus Key=1" }.GetProblems(), p => p.Contains("not a valid Npgsql connection string", StringComparison.Ordinal));
    }

    private static Task<PostgreSqlDatabase> OpenAsync(NpgsqlConnectionStringBuilder builder, int retries = 3) =>
        PostgreSqlDatabase.OpenAsync(
            new PostgreSqlStorageOptions { ConnectionString = builder.ConnectionString, Schema = TestPostgres.NewSchema(), MaxRetryAttempts = retries, RetryDelay = TimeSpan.FromMilliseconds(50) },
            TimeProvider.System,
            cancellationToken: TestContext.Current.CancellationToken);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
