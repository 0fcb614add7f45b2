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
    public async Task A_version_2_company_limit_is_on_every_company_row_after_the_migration_and_still_refuses_past_it()
    {
        await using var schema = new TempSchema();
        await schema.OpenAsync();
        // As version 2 left it (later migrations are run again too): the company's limit ($1) only on the row 'company', its other 15 rows without one.
        await TestPostgres.ExecuteAsync($"""
            DELETE FROM "{schema.Name}".schema_version WHERE version >= 3;
            INSERT INTO "{schema.Name}".budgets (scope) VALUES ('company') ON CONFLICT (scope) DO NOTHING;
            UPDATE "{schema.Name}".budgets SET limit_units = CASE WHEN scope = 'company' THEN {BudgetUnits.FromDollarsFloor(1m)} ELSE NULL END WHERE scope LIKE 'company%';
            """);

        var account = new PostgreSqlBudgetAccount(await schema.OpenAsync());

        Assert.Equal(PostgreSqlSchema.CurrentVersion, await TestPostgres.ScalarAsync<int>($"SELECT max(version) FROM \"{schema.Name}\".schema_version;"));
        Assert.Equal(0L, await TestPostgres.ScalarAsync<long>($"SELECT count(*) FROM \"{schema.Name}\".budgets WHERE scope LIKE 'company%' AND limit_units IS DISTINCT FROM {BudgetUnits.FromDollarsFloor(1m)};"));
        Assert.Equal(16L, await TestPostgres.ScalarAsync<long>($"SELECT count(*) FROM \"{schema.Name}\".budgets WHERE scope LIKE 'company%';"));
        // Whichever row a reservation locks first, the company's limit holds.
        for (int i = 0; i < 20; i++)
        {
            var refused = await account.TryReserveAsync(new BudgetReservationRequest(null, 1.5m, "owner"), TestContext.Current.CancellationToken);
            Assert.False(refused.IsGranted);
            Assert.Equal(BudgetScope.Company, refused.RefusedBy);
        }

        Assert.True((await account.TryReserveAsync(new BudgetReservationRequest(null, 0.5m, "owner"), TestContext.Current.CancellationToken)).IsGranted);
    }

    [Fact]
    public async Task A_version_4_item_with_model_call_records_is_marked_journaled_by_the_migration()
    {
        await using var schema = new TempSchema();
        await schema.OpenAsync();
        string s = schema.Name;
        // As version 4 left them: two items on the queue, one with a record of a lapsed try; no mark on either.
        await TestPostgres.ExecuteAsync($"""
            DELETE FROM "{s}".schema_version WHERE version >= 5;
            DROP TRIGGER model_calls_mark_journaled ON "{s}".model_calls;
            ALTER TABLE "{s}".work_items DROP COLUMN journaled;
            INSERT INTO "{s}".work_items (item_id, project_id, role, available_at, item) VALUES ('wi_recorded', 'p', 'developer', 0, 'x'), ('wi_clean', 'p', 'developer', 0, 'x');
            INSERT INTO "{s}".model_calls (work_item_id, call_key, response, provider, model_id, input_tokens, output_tokens, cost, duration_ticks, lease_token, recorded_at_ticks, recorded_offset_minutes)
            VALUES ('wi_recorded', 'call-1', '', 'offline', 'offline-no-ai', 1, 1, 0, 0, 1, 0, 0);
            """);

        await schema.OpenAsync();

        Assert.Equal(PostgreSqlSchema.CurrentVersion, await TestPostgres.ScalarAsync<int>($"SELECT max(version) FROM \"{s}\".schema_version;"));
        Assert.True(await TestPostgres.ScalarAsync<bool>($"SELECT journaled FROM \"{s}\".work_items WHERE item_id = 'wi_recorded';"));
        Assert.False(await TestPostgres.ScalarAsync<bool>($"SELECT journaled FROM \"{s}\".work_items WHERE item_id = 'wi_clean';"));
    }

    [Fact]
    public async Task A_record_of_a_version_4_host_still_running_marks_its_item_too()
    {
        await using var schema = new TempSchema();
        await schema.OpenAsync();
        string s = schema.Name;
        await TestPostgres.ExecuteAsync($"""
            INSERT INTO "{s}".work_items (item_id, project_id, role, available_at, item, lease_token, lease_expires_at) VALUES ('wi_leased', 'p', 'developer', 0, 'x', 7, 9000000000000);
            """);

        // The record as a version 4 host writes it: fenced by a share lock, no mark.
        await TestPostgres.ExecuteAsync($"""
            INSERT INTO "{s}".model_calls (work_item_id, call_key, response, provider, model_id, input_tokens, output_tokens, cost, duration_ticks, lease_token, recorded_at_ticks, recorded_offset_minutes)
            SELECT 'wi_leased', 'call-1', '', 'offline', 'offline-no-ai', 1, 1, 0, 0, 7, 0, 0
            WHERE EXISTS (SELECT 1 FROM "{s}".work_items WHERE item_id = 'wi_leased' AND lease_token = 7 AND lease_expires_at > 0 FOR SHARE);
            """);

        Assert.True(await TestPostgres.ScalarAsync<bool>($"SELECT journaled FROM \"{s}\".work_items WHERE item_id = 'wi_leased';"));
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
