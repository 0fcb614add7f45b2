using System.Diagnostics;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.Sqlite.Tests;

/// <summary>
/// A really full disk: the database lives on a small tmpfs mounted for the test (root, or passwordless sudo, as CI has),
/// filled by commits until SQLite reports it full. The failing commit is refused with a clear error, nothing committed
/// before it is lost or damaged, and once there is room again the same open store goes on.
/// </summary>
public sealed class FullDiskTests : IAsyncDisposable
{
    private readonly string _mountPoint = Directory.CreateTempSubdirectory("vic-full-disk-").FullName;
    private bool _mounted;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_commit_on_a_full_disk_fails_clearly_loses_nothing_and_the_store_goes_on_once_there_is_room()
    {
        await MountAsync("size=1m");
        string file = Path.Combine(_mountPoint, "company.db");
        var database = SqliteDatabase.Open(new SqliteStorageOptions { ConnectionString = $"Data Source={file}" }, TimeProvider.System);
        await using var _ = database;
        var store = new SqliteCompanyStore(database);
        var committed = new Dictionary<ProjectId, long>();
        SqliteStorageException? full = null;
        for (int i = 0; i < 1_000 && full is null; i++)
        {
            var id = ProjectId.New();
            try
            {
                var commit = ProjectCommits.Create(id, DateTimeOffset.UtcNow, ProjectCommits.Item(id, AgentRole.Developer, DateTimeOffset.UtcNow, new string('x', 8_000)));
                await store.CommitAsync(commit, Ct);
                committed.Add(id, commit.Snapshot.Version);
            }
            catch (SqliteStorageException ex)
            {
                full = ex;
                Assert.Null(await store.GetAsync(id, Ct));
            }
        }

        Assert.NotNull(full);
        Assert.Equal(SqliteStorageProblem.DiskFull, full.Problem);
        Assert.Contains(file, full.Message, StringComparison.Ordinal);
        Assert.Contains("full", full.Message, StringComparison.Ordinal);
        Assert.NotEmpty(committed);
        foreach (var (id, version) in committed)
        {
            var snapshot = await store.GetAsync(id, Ct);
            Assert.NotNull(snapshot);
            Assert.Equal(version, snapshot.Version);
        }

        Assert.Equal(committed.Count, await store.CountAsync(Ct));

        // Room again (the disk grows, as an operator would free space): the same store commits without a restart.
        await RunAsync("mount", "-o", "remount,size=16m", _mountPoint);
        var after = ProjectId.New();
        await store.CommitAsync(ProjectCommits.Create(after, DateTimeOffset.UtcNow, ProjectCommits.Item(after, AgentRole.Developer, DateTimeOffset.UtcNow)), Ct);
        Assert.NotNull(await store.GetAsync(after, Ct));
        Assert.Equal(committed.Count + 1, await store.ListAsync(cancellationToken: Ct).CountAsync(Ct));
    }

    public async ValueTask DisposeAsync()
    {
        if (_mounted)
        {
            await RunAsync("umount", "-l", _mountPoint);
        }

        Directory.Delete(_mountPoint, recursive: true);
    }

    private async Task MountAsync(string options)
    {
        await RunAsync("mount", "-t", "tmpfs", "-o", options, "tmpfs", _mountPoint);
        _mounted = true;
    }

    /// <summary>Runs a mount command as root: directly when the tests run as root, else through <c>sudo -n</c>.</summary>
    private static async Task RunAsync(params string[] command)
    {
        bool root = Environment.UserName == "root";
        var start = new ProcessStartInfo(root ? command[0] : "sudo") { RedirectStandardError = true, RedirectStandardOutput = true };
        if (!root)
        {
            start.ArgumentList.Add("-n");
            start.ArgumentList.Add(command[0]);
        }

        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        string error = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(
            process.ExitCode == 0,
            $"'{string.Join(' ', command)}' failed ({error.Trim()}): this test mounts a small tmpfs to fill a real disk, so it needs root or passwordless sudo (CI has both).");
    }
}
