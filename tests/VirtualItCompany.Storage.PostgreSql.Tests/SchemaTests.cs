namespace VirtualItCompany.Storage.PostgreSql.Tests;

/// <summary>Migrations: hosts starting together migrate once; a newer or foreign schema is refused with a message that says what to do.</summary>
public sealed class SchemaTests
{
    [Fact]
    public async Task Hosts_starting_together_migrate_the_schema_once()
    {
        await using var schema = new TempSchema();

        var opened = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => schema.OpenAsync()));

        Assert.Equal(4, opened.Length);
        Assert.Equal((long)PostgreSqlSchema.CurrentVersion, await TestPostgres.ScalarAsync<long>($"SELECT count(*) FROM \"{schema.Name}\".schema_version;"));
        Assert.Equal(PostgreSqlSchema.CurrentVersion, await TestPostgres.ScalarAsync<int>($"SELECT max(version) FROM \"{schema.Name}\".schema_version;"));
        // Opening again later changes nothing.
        await schema.OpenAsync();
        Assert.Equal((long)PostgreSqlSchema.CurrentVersion, await TestPostgres.ScalarAsync<long>($"SELECT count(*) FROM \"{schema.Name}\".schema_version;"));
    }

    [Fact]
    public async Task A_schema_of_a_newer_version_is_refused_and_left_as_it_is()
    {
        await using var schema = new TempSchema();
        await schema.OpenAsync();
        int newer = PostgreSqlSchema.CurrentVersion + 1;
        await TestPostgres.ExecuteAsync($"INSERT INTO \"{schema.Name}\".schema_version (version, applied_by) VALUES ({newer}, 'a newer host');");

        var ex = await Assert.ThrowsAsync<PostgreSqlStorageException>(() => schema.OpenAsync());

        Assert.Equal(PostgreSqlStorageProblem.SchemaTooNew, ex.Problem);
        Assert.Contains($"'{schema.Name}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"version {newer}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Update this package", ex.Message, StringComparison.Ordinal);
        Assert.Equal(newer, await TestPostgres.ScalarAsync<int>($"SELECT max(version) FROM \"{schema.Name}\".schema_version;"));
    }

    [Fact]
    public async Task A_schema_with_another_applications_tables_is_refused_and_left_untouched()
    {
        await using var schema = new TempSchema();
        await TestPostgres.ExecuteAsync($"CREATE SCHEMA \"{schema.Name}\"; CREATE TABLE \"{schema.Name}\".customers (id int);");

        var ex = await Assert.ThrowsAsync<PostgreSqlStorageException>(() => schema.OpenAsync());

        Assert.Equal(PostgreSqlStorageProblem.ForeignSchema, ex.Problem);
        Assert.Contains("Schema", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await TestPostgres.ScalarAsync<long>($"SELECT count(*) FROM pg_tables WHERE schemaname = '{schema.Name}';"));
    }
}
