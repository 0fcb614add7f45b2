using System.Diagnostics;
using Microsoft.Data.Sqlite;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.Sqlite.Tests;

/// <summary>A file that cannot be used fails with <see cref="SqliteStorageException"/> naming it and saying what to do, and is never reset, downgraded or overwritten.</summary>
public sealed class OpenErrorTests : IAsyncDisposable
{
    private readonly TempDatabase _temp = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _temp.DisposeAsync();

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_and_left_as_it_is()
    {
        string text = string.Concat(Enumerable.Repeat("These are my notes, not a database.\n", 100));
        File.WriteAllText(_temp.FilePath, text);

        var ex = Assert.Throws<SqliteStorageException>(() => Open());

        Assert.Equal(SqliteStorageProblem.NotADatabase, ex.Problem);
        AssertNamesTheFile(ex);
        Assert.Equal(text, File.ReadAllText(_temp.FilePath));
    }

    [Fact]
    public async Task A_damaged_database_fails_with_a_clear_error_and_is_not_reset()
    {
        var database = Open();
        var store = new SqliteCompanyStore(database);
        for (int i = 0; i < 20; i++)
        {
            var id = ProjectId.New();
            await store.CommitAsync(ProjectCommits.Create(id, DateTimeOffset.UtcNow, [.. Enumerable.Range(0, 20).Select(_ => ProjectCommits.Item(id, AgentRole.Developer, DateTimeOffset.UtcNow, new string('x', 200)))]), Ct);
        }

        await database.DisposeAsync();
        byte[] bytes = await File.ReadAllBytesAsync(_temp.FilePath, Ct);
        int pageSize = (bytes[16] << 8) | bytes[17];
        Assert.True(bytes.Length > pageSize * 4, "The test database spans several pages.");
        for (int i = pageSize; i < bytes.Length; i++)
        {
            bytes[i] = 0xA5; // every page but the first (the header and the schema) is garbage
        }

        await File.WriteAllBytesAsync(_temp.FilePath, bytes, Ct);

        var ex = Assert.Throws<SqliteStorageException>(() =>
        {
            var damaged = Open();
            _ = new SqliteCompanyStore(damaged).ListAsync(cancellationToken: Ct).ToListAsync(Ct).AsTask().GetAwaiter().GetResult();
        });

        Assert.Contains(ex.Problem, new[] { SqliteStorageProblem.Corrupt, SqliteStorageProblem.NotADatabase });
        AssertNamesTheFile(ex);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_temp.FilePath, Ct));
    }

    [Fact]
    public void A_database_of_another_application_without_an_application_id_is_left_untouched()
    {
        using (var raw = _temp.OpenRaw())
        {
            SqliteDatabase.Execute(raw, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada');");
        }

        byte[] before = File.ReadAllBytes(_temp.FilePath);

        var ex = Assert.Throws<SqliteStorageException>(() => Open());

        Assert.Equal(SqliteStorageProblem.ForeignDatabase, ex.Problem);
        AssertNamesTheFile(ex);
        Assert.Contains("another application", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(_temp.FilePath));
        using var check = _temp.OpenRaw();
        Assert.Equal("delete", Scalar(check, "PRAGMA journal_mode;"));
        Assert.Equal("Ada", Scalar(check, "SELECT name FROM customers;"));
    }

    [Fact]
    public void A_database_with_another_application_id_is_refused_even_when_empty()
    {
        using (var raw = _temp.OpenRaw())
        {
            SqliteDatabase.Execute(raw, "PRAGMA application_id = 305419896;");
        }

        var ex = Assert.Throws<SqliteStorageException>(() => Open());

        Assert.Equal(SqliteStorageProblem.ForeignDatabase, ex.Problem);
        AssertNamesTheFile(ex);
        Assert.Contains("0x12345678", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_of_a_newer_schema_is_refused_and_never_downgraded()
    {
        var database = Open();
        var id = ProjectId.New();
        await new SqliteCompanyStore(database).CommitAsync(ProjectCommits.Create(id, DateTimeOffset.UtcNow), Ct);
        await database.DisposeAsync();
        using (var raw = _temp.OpenRaw())
        {
            SqliteDatabase.Execute(raw, "PRAGMA user_version = 99;");
        }

        var ex = Assert.Throws<SqliteStorageException>(() => Open());

        Assert.Equal(SqliteStorageProblem.SchemaTooNew, ex.Problem);
        AssertNamesTheFile(ex);
        Assert.Contains("99", ex.Message, StringComparison.Ordinal);
        using var check = _temp.OpenRaw();
        Assert.Equal(99L, Scalar(check, "PRAGMA user_version;"));
        Assert.Equal(id.Value, Scalar(check, "SELECT project_id FROM snapshots;"));
    }

    [Fact]
    public async Task A_read_only_file_is_refused()
    {
        var database = Open();
        await database.DisposeAsync();
        using var immutable = Immutable.TryMake(_temp.FilePath);

        var ex = Assert.Throws<SqliteStorageException>(() => Open());

        Assert.Equal(SqliteStorageProblem.ReadOnly, ex.Problem);
        AssertNamesTheFile(ex);
    }

    [Fact]
    public void A_file_in_a_read_only_folder_is_refused()
    {
        using var immutable = Immutable.TryMake(_temp.Folder);

        var ex = Assert.Throws<SqliteStorageException>(() => Open());

        Assert.Contains(ex.Problem, new[] { SqliteStorageProblem.CannotOpen, SqliteStorageProblem.ReadOnly });
        AssertNamesTheFile(ex);
        Assert.False(File.Exists(_temp.FilePath));
    }

    [Fact]
    public void A_file_whose_folder_cannot_be_created_is_refused()
    {
        File.WriteAllText(Path.Combine(_temp.Folder, "not-a-folder"), "a file");
        string path = Path.Combine(_temp.Folder, "not-a-folder", "company.db");

        var ex = Assert.Throws<SqliteStorageException>(() => SqliteDatabase.Open(new SqliteStorageOptions { ConnectionString = $"Data Source={path}" }, TimeProvider.System));

        Assert.Equal(SqliteStorageProblem.CannotOpen, ex.Problem);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_locked_by_another_process_past_the_busy_timeout_is_refused_at_open()
    {
        var database = Open();
        await database.DisposeAsync();
        using var other = _temp.OpenRaw();
        SqliteDatabase.Execute(other, "BEGIN IMMEDIATE; UPDATE counters SET value = value + 1;");

        var watch = Stopwatch.StartNew();
        var ex = Assert.Throws<SqliteStorageException>(() => Open(o => o.BusyTimeout = TimeSpan.FromMilliseconds(200)));

        Assert.Equal(SqliteStorageProblem.Locked, ex.Problem);
        AssertNamesTheFile(ex);
        Assert.Contains("BusyTimeout", ex.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"It waited {watch.Elapsed}.");
        SqliteDatabase.Execute(other, "ROLLBACK;");
    }

    [Fact]
    public async Task A_commit_blocked_by_another_process_past_the_busy_timeout_fails_with_a_clear_error_and_the_store_recovers()
    {
        var store = new SqliteCompanyStore(Open(o => o.BusyTimeout = TimeSpan.FromMilliseconds(200)));
        var blocked = ProjectCommits.Create(ProjectId.New(), DateTimeOffset.UtcNow);
        using var other = _temp.OpenRaw();
        SqliteDatabase.Execute(other, "PRAGMA busy_timeout = 5000; BEGIN IMMEDIATE; UPDATE counters SET value = value + 1;");

        var ex = await Assert.ThrowsAsync<SqliteStorageException>(() => store.CommitAsync(blocked, Ct));
        SqliteDatabase.Execute(other, "ROLLBACK;");

        Assert.Equal(SqliteStorageProblem.Locked, ex.Problem);
        AssertNamesTheFile(ex);
        Assert.Null(await store.GetAsync(blocked.ProjectId, Ct));
        await store.CommitAsync(blocked, Ct);
        Assert.Equal(1, (await store.GetAsync(blocked.ProjectId, Ct))?.Version);
    }

    [Fact]
    public void An_empty_file_becomes_a_new_database()
    {
        File.WriteAllBytes(_temp.FilePath, []);

        Open();

        using var check = _temp.OpenRaw();
        Assert.Equal((long)SqliteSchema.ApplicationId, Scalar(check, "PRAGMA application_id;"));
        Assert.Equal((long)SqliteSchema.CurrentVersion, Scalar(check, "PRAGMA user_version;"));
        Assert.Equal("wal", Scalar(check, "PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task Reopening_a_database_of_this_version_changes_nothing_of_its_schema()
    {
        var database = Open();
        await database.DisposeAsync();
        string before = SchemaText();

        Open();

        Assert.Equal(before, SchemaText());
    }

    private SqliteDatabase Open(Action<SqliteStorageOptions>? configure = null) => _temp.Open(TimeProvider.System, configure);

    private void AssertNamesTheFile(SqliteStorageException ex)
    {
        TestContext.Current.SendDiagnosticMessage($"{ex.Problem}: {ex.Message}");
        Assert.Equal(_temp.FilePath, ex.FilePath);
        Assert.Contains(_temp.FilePath, ex.Message, StringComparison.Ordinal);
    }

    private string SchemaText()
    {
        using var raw = _temp.OpenRaw();
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_schema ORDER BY name);";
        return (string)command.ExecuteScalar()!;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Makes a file or folder read-only even for root (the immutable attribute); skips the test where that is not possible.</summary>
    private sealed class Immutable : IDisposable
    {
        private readonly string _path;

        private Immutable(string path) => _path = path;

        public static Immutable TryMake(string path)
        {
            Assert.SkipUnless(OperatingSystem.IsLinux() && Chattr("+i", path), "The immutable attribute (chattr +i) is not available here, and root ignores permission bits.");
            return new Immutable(path);
        }

        public void Dispose() => Chattr("-i", _path);

        private static bool Chattr(string flag, string path)
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true, RedirectStandardOutput = true });
                if (process is null)
                {
                    return false;
                }

                process.WaitForExit();
                return process.ExitCode == 0;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }
    }
}
