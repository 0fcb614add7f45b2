using Microsoft.Data.Sqlite;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.Sqlite.Tests;

/// <summary>A file written by an earlier version of the package opens with everything in it, on this version's schema; data that would not survive a migration leaves the file untouched.</summary>
public sealed class MigrationTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _written = new();
    private readonly TempDatabase _older = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await _written.DisposeAsync();
        await _older.DisposeAsync();
    }

    [Fact]
    public async Task A_file_of_schema_version_2_keeps_every_project_event_and_queued_item_and_moves_to_rowid_tables()
    {
        // Projects written by this version's store, copied row for row into a file made with the version 2 schema.
        var projects = await WriteProjectsAsync(count: 5);
        MakeVersion2Copy();
        var expected = await ReadAllAsync(_written);

        var database = _older.Open(TimeProvider.System);

        using (var raw = _older.OpenRaw())
        {
            Assert.Equal((long)SqliteSchema.CurrentVersion, Scalar(raw, "PRAGMA user_version;"));
            foreach (var table in new[] { "snapshots", "events" })
            {
                string sql = (string)Scalar(raw, $"SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = '{table}';")!;
                Assert.DoesNotContain("WITHOUT ROWID", sql, StringComparison.OrdinalIgnoreCase);
            }

            Assert.Equal(2L, Scalar(raw, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ('snapshots_newest_first', 'snapshots_by_status');"));
            Assert.Equal(0L, Scalar(raw, "SELECT count(*) FROM sqlite_schema WHERE name LIKE '%_v3';"));
            Assert.Equal("ok", Scalar(raw, "PRAGMA integrity_check;"));
        }

        var actual = await ReadAllAsync(_older, database);
        Assert.Equal(expected.Projects, actual.Projects);
        Assert.Equal(expected.Events, actual.Events);
        Assert.Equal(expected.Queued, actual.Queued);

        // It goes on as a store: the next commit lands, a stale one is refused, and a new project sorts first.
        var store = new SqliteCompanyStore(database);
        var first = (await store.GetAsync(projects[0], Ct))!;
        await store.CommitAsync(ProjectCommits.Next(first, Now, new ClientAnswered("after the migration")), Ct);
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.CommitAsync(ProjectCommits.Next(first, Now, new ClientAnswered("stale")), Ct));
        Assert.Equal(first.Version + 1, (await store.GetAsync(projects[0], Ct))!.Version);
        var newest = ProjectId.New();
        await store.CommitAsync(ProjectCommits.Create(newest, Now.AddHours(1)), Ct);
        Assert.Equal(newest, (await store.ListAsync(cancellationToken: Ct).FirstAsync(Ct)).Id);
    }

    [Fact]
    public async Task A_version_2_file_whose_events_name_a_missing_project_is_refused_and_left_at_version_2()
    {
        await WriteProjectsAsync(count: 2);
        MakeVersion2Copy();
        using (var raw = _older.OpenRaw())
        {
            // Changed outside the store: an event of a project that has no snapshot.
            SqliteDatabase.Execute(raw, "PRAGMA foreign_keys = OFF; INSERT INTO events (project_id, version, event) VALUES ('prj_missing', 1, '{}');");
        }

        string schemaBefore = SchemaText();
        long eventsBefore = Count("events");

        var ex = Assert.Throws<SqliteStorageException>(() => _older.Open(TimeProvider.System));

        Assert.Equal(SqliteStorageProblem.Failed, ex.Problem);
        Assert.Contains(_older.FilePath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("events", ex.Message, StringComparison.Ordinal);
        Assert.Equal(schemaBefore, SchemaText());
        Assert.Equal(eventsBefore, Count("events"));
        using var check = _older.OpenRaw();
        Assert.Equal(2L, Scalar(check, "PRAGMA user_version;"));
    }

    private async Task<List<ProjectId>> WriteProjectsAsync(int count)
    {
        var database = _written.Open(TimeProvider.System);
        var store = new SqliteCompanyStore(database);
        var ids = new List<ProjectId>();
        for (int i = 0; i < count; i++)
        {
            var id = ProjectId.New();
            var at = Now.AddMinutes(i);
            var created = ProjectCommits.Create(id, at, ProjectCommits.Item(id, AgentRole.Developer, at, new string('x', 3000)));
            await store.CommitAsync(created, Ct);
            // Big events and snapshots, as a long project has: past a 4 KB page's share of an index b-tree.
            var answered = ProjectCommits.Next(created.Snapshot, at, new ClientAnswered(new string('a', 2500)), new ClientAnswered("short"));
            await store.CommitAsync(answered, Ct);
            ids.Add(id);
        }

        await database.DisposeAsync();
        return ids;
    }

    /// <summary>Makes <see cref="_older"/> a file of schema version 2 holding every row of <see cref="_written"/>.</summary>
    private void MakeVersion2Copy()
    {
        using var raw = _older.MakeOlderCopy(_written, version: 2, """
            INSERT INTO snapshots SELECT project_id, version, status, created_at_ticks, updated_at, snapshot FROM written.snapshots;
            INSERT INTO events SELECT project_id, version, event FROM written.events;
            INSERT INTO work_items SELECT * FROM written.work_items;
            INSERT OR REPLACE INTO counters SELECT * FROM written.counters;
            INSERT OR REPLACE INTO budgets SELECT * FROM written.budgets;
            """);
        Assert.Contains("WITHOUT ROWID", (string)Scalar(raw, "SELECT sql FROM sqlite_schema WHERE name = 'events';")!, StringComparison.Ordinal);
    }

    private static async Task<(List<string> Projects, List<string> Events, List<string> Queued)> ReadAllAsync(TempDatabase temp, SqliteDatabase? open = null)
    {
        var database = open ?? temp.Open(TimeProvider.System);
        var store = new SqliteCompanyStore(database);
        var projects = new List<string>();
        var events = new List<string>();
        await foreach (var snapshot in store.ListAsync(cancellationToken: Ct))
        {
            projects.Add(System.Text.Json.JsonSerializer.Serialize(snapshot, ProjectEventSerializer.Options.GetTypeInfo(typeof(ProjectSnapshot))));
            await foreach (var e in store.ReadEventsAsync(snapshot.Id, 0, Ct))
            {
                events.Add(ProjectEventSerializer.Serialize(e));
            }
        }

        var queued = await store.ListQueuedAsync(Ct).Select(q => q.Item.Id + "@" + q.AvailableAt.ToUnixTimeMilliseconds()).ToListAsync(Ct);
        if (open is null)
        {
            await database.DisposeAsync();
        }

        return (projects, events, queued);
    }

    private string SchemaText()
    {
        using var raw = _older.OpenRaw();
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT group_concat(type || ' ' || name || ': ' || coalesce(sql, ''), char(10)) FROM (SELECT * FROM sqlite_schema ORDER BY type, name);";
        return (string)command.ExecuteScalar()!;
    }

    private long Count(string table)
    {
        using var raw = _older.OpenRaw();
        return (long)Scalar(raw, $"SELECT count(*) FROM {table};")!;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
