using Npgsql;

namespace VirtualItCompany.Storage.PostgreSql.Tests;

/// <summary>
/// The settings the store adds to a connection string: its statements prepared on the server, connections not reset
/// when they go back to the pool (which would drop those plans); what the connection string sets itself is kept.
/// </summary>
public sealed class ConnectionSettingsTests
{
    [Fact]
    public async Task Statements_the_store_runs_often_are_prepared_once_on_the_server_and_kept_across_uses_of_the_pool()
    {
        await using var schema = new TempSchema();
        var database = await schema.OpenAsync();
        var store = new PostgreSqlCompanyStore(database);
        var settings = new NpgsqlConnectionStringBuilder(database.PoolConnectionString);
        Assert.Equal(PostgreSqlDatabase.DefaultMaxAutoPrepare, settings.MaxAutoPrepare);
        Assert.True(settings.NoResetOnClose);

        for (int i = 0; i < 10; i++)
        {
            Assert.Null(await store.GetAsync(new ProjectId("p-missing"), TestContext.Current.CancellationToken));
        }

        // The snapshot read, prepared on the connection that ran it, is still there for the next user of the pool.
        Assert.True(await PreparedSnapshotReadsAsync(database) >= 1);
    }

    [Fact]
    public async Task Settings_the_connection_string_gives_are_kept()
    {
        await using var schema = new TempSchema();
        var database = await schema.OpenAsync(configure: o => o.ConnectionString += ";Max Auto Prepare=0;No Reset On Close=false");
        var store = new PostgreSqlCompanyStore(database);
        var settings = new NpgsqlConnectionStringBuilder(database.PoolConnectionString);
        Assert.Equal(0, settings.MaxAutoPrepare);
        Assert.False(settings.NoResetOnClose);

        for (int i = 0; i < 10; i++)
        {
            Assert.Null(await store.GetAsync(new ProjectId("p-missing"), TestContext.Current.CancellationToken));
        }

        Assert.Equal(0L, await PreparedSnapshotReadsAsync(database));
    }

    private static Task<long> PreparedSnapshotReadsAsync(PostgreSqlDatabase database) =>
        database.RunAsync(
            async (c, _, ct) =>
            {
                await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT snapshot FROM snapshots WHERE project_id%';", c);
                return (long)(await command.ExecuteScalarAsync(ct))!;
            },
            TestContext.Current.CancellationToken);
}
