using VirtualItCompany.Workspace;

namespace VirtualItCompany.Tests.Workspace;

public sealed class WorkspaceCommitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Commit_returns_the_sha_and_git_log_shows_the_message_and_author()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        await workspace.WriteFileAsync("src/App.cs", "class App;", Ct);

        var sha = await workspace.CommitAsync("Add the app", cancellationToken: Ct);

        Assert.Matches("^[0-9a-f]{40}$", sha);
        var log = await workspace.RunAsync(new CommandRequest(["git", "log", "--format=%H %an <%ae> %s"]), Ct);
        Assert.Equal($"{sha} VirtualItCompany <agents@virtualitcompany.local> Add the app\n", log.Output);
        var branch = await workspace.RunAsync(new CommandRequest(["git", "branch", "--show-current"]), Ct);
        Assert.Equal("main\n", branch.Output);
    }

    [Fact]
    public async Task A_second_commit_without_changes_returns_null()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        await workspace.WriteFileAsync("a.txt", "a", Ct);
        Assert.NotNull(await workspace.CommitAsync("First", cancellationToken: Ct));

        Assert.Null(await workspace.CommitAsync("Nothing changed", cancellationToken: Ct));
    }

    [Fact]
    public async Task Commit_of_an_empty_workspace_returns_null_and_adds_no_files()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();

        Assert.Null(await workspace.CommitAsync("Nothing yet", cancellationToken: Ct));
        Assert.Empty(await workspace.ListFilesAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task Concurrent_work_items_committing_their_own_paths_get_one_commit_each()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();

        var shas = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
        {
            await workspace.WriteFileAsync($"feature{i}.cs", $"class F{i};", Ct);
            return await workspace.CommitAsync($"Feature {i}", [$"feature{i}.cs"], Ct);
        }));

        Assert.Equal(4, shas.Distinct().Count());
        foreach (var (sha, i) in shas.Select((s, i) => (s!, i)))
        {
            var files = await workspace.RunAsync(new CommandRequest(["git", "show", "--name-only", "--format=", sha]), Ct);
            Assert.Equal($"feature{i}.cs\n", files.Output);
        }
    }

    [Fact]
    public async Task An_empty_path_list_records_a_commit_for_work_that_wrote_no_file()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        await workspace.WriteFileAsync("a.txt", "a", Ct);
        await workspace.CommitAsync("First", cancellationToken: Ct);

        var sha = await workspace.CommitAsync("Deployed to staging", [], Ct);

        Assert.NotNull(sha);
        var log = await workspace.RunAsync(new CommandRequest(["git", "log", "-1", "--format=%s"]), Ct);
        Assert.Equal("Deployed to staging\n", log.Output);
    }

    [Fact]
    public async Task An_empty_path_list_does_not_sweep_up_other_items_files()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        await workspace.WriteFileAsync("a.txt", "a", Ct);
        await workspace.CommitAsync("First", cancellationToken: Ct);
        await workspace.WriteFileAsync("half-written.cs", "class", Ct);

        var sha = await workspace.CommitAsync("Reviewed", [], Ct);

        var files = await workspace.RunAsync(new CommandRequest(["git", "show", "--name-only", "--format=", sha!]), Ct);
        Assert.Equal("", files.Output.Trim());
    }

    [Fact]
    public async Task Committing_a_path_outside_the_workspace_is_refused()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();

        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.CommitAsync("Sneaky", ["../outside.txt"], Ct));
    }

    [Fact]
    public async Task A_half_written_file_a_killed_process_left_is_not_listed_or_committed_and_is_removed()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        await workspace.WriteFileAsync("src/App.cs", "class App;", Ct);
        string leftover = Path.Combine(workspace.RootPath, "src", ".vic-write-0123456789abcdef.tmp");
        await File.WriteAllTextAsync(leftover, "class Ap", Ct);
        File.SetLastWriteTimeUtc(leftover, DateTime.UtcNow.AddDays(-1)); // older than this process: a killed process's write

        Assert.Equal(["src/App.cs"], await workspace.ListFilesAsync("", Ct));
        await workspace.CommitAsync("Add the app", cancellationToken: Ct);

        var files = await workspace.RunAsync(new CommandRequest(["git", "ls-files"]), Ct);
        Assert.Equal("src/App.cs\n", files.Output);
        Assert.False(File.Exists(leftover));
    }

    [Fact]
    public async Task Build_output_is_not_committed()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        await workspace.WriteFileAsync("App.cs", "class App;", Ct);
        Directory.CreateDirectory(Path.Combine(workspace.RootPath, "bin"));
        await File.WriteAllTextAsync(Path.Combine(workspace.RootPath, "bin", "App.dll"), "binary", Ct);

        await workspace.CommitAsync("Add the app", cancellationToken: Ct);

        var files = await workspace.RunAsync(new CommandRequest(["git", "ls-files"]), Ct);
        Assert.Equal("App.cs\n", files.Output);
    }

    [Fact]
    public async Task Concurrent_commits_are_serialised_and_each_change_lands_once()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();

        var shas = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            await workspace.WriteFileAsync($"file{i}.txt", $"content {i}", Ct);
            return await workspace.CommitAsync($"Add file {i}", cancellationToken: Ct);
        }));

        var committed = shas.OfType<string>().ToArray();
        Assert.NotEmpty(committed);
        Assert.Equal(committed.Length, committed.Distinct().Count());
        var count = await workspace.RunAsync(new CommandRequest(["git", "rev-list", "--count", "HEAD"]), Ct);
        Assert.Equal($"{committed.Length}\n", count.Output);
        var files = await workspace.RunAsync(new CommandRequest(["git", "ls-files"]), Ct);
        Assert.Equal(6, files.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task The_workspace_commits_with_its_own_git_even_when_agents_may_not_run_git()
    {
        await using var scratch = new ScratchWorkspaces(o => o.AllowedCommands.Remove("git"));
        var workspace = await scratch.GetAsync();
        await workspace.WriteFileAsync("a.txt", "a", Ct);

        Assert.NotNull(await workspace.CommitAsync("Own git", cancellationToken: Ct));
        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.RunAsync(new CommandRequest(["git", "log"]), Ct));
    }

    [Fact]
    public async Task A_work_items_commit_is_made_once_when_a_later_try_writes_the_same_files()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        await workspace.WriteFileAsync("Service/Feature.cs", "class Feature;", Ct);
        var first = await workspace.CommitAsync("Development: Feature (Developer): built\n\nWork-Item: wi_1", ["Service/Feature.cs"], Ct);

        // The try after a crash writes the same content and commits again, with a different summary.
        await workspace.WriteFileAsync("Service/Feature.cs", "class Feature;", Ct);
        var again = await workspace.CommitAsync("Development: Feature (Developer): built again\n\nWork-Item: wi_1", ["Service/Feature.cs"], Ct);
        var other = await workspace.CommitAsync("Code review (CodeReviewer): approved\n\nWork-Item: wi_2", [], Ct);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        var count = await workspace.RunAsync(new CommandRequest(["git", "rev-list", "--count", "HEAD"]), Ct);
        Assert.Equal("2\n", count.Output);
    }

    [Fact]
    public async Task A_later_try_that_writes_different_files_gets_its_own_commit()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        await workspace.WriteFileAsync("a.txt", "first", Ct);
        var first = await workspace.CommitAsync("Work\n\nWork-Item: wi_1", ["a.txt"], Ct);
        await workspace.WriteFileAsync("a.txt", "second", Ct);

        var again = await workspace.CommitAsync("Work\n\nWork-Item: wi_1", ["a.txt"], Ct);

        Assert.NotEqual(first, again);
    }

    [Fact]
    public async Task Git_locks_left_by_a_process_killed_mid_commit_do_not_block_the_next_process()
    {
        await using var crashed = new ScratchWorkspaces();
        var before = await crashed.GetAsync();
        await before.WriteFileAsync("a.txt", "a", Ct);
        Assert.NotNull(await before.CommitAsync("First", cancellationToken: Ct));
        foreach (var name in new[] { "index.lock", "HEAD.lock", "refs/heads/main.lock" })
        {
            string path = Path.Combine(before.RootPath, ".git", name);
            await File.WriteAllTextAsync(path, "", Ct);
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddDays(-1)); // left by a process older than this one
        }

        // The next process: a new provider over the same folder.
        var options = crashed.Options;
        await using var next = new LocalWorkspaceProvider(Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System);
        var after = await next.GetWorkspaceAsync(before.ProjectId, Ct);
        await after.WriteFileAsync("b.txt", "b", Ct);

        Assert.NotNull(await after.CommitAsync("Second", cancellationToken: Ct));
        Assert.False(File.Exists(Path.Combine(after.RootPath, ".git", "index.lock")));
    }

    [Fact]
    public async Task Two_processes_sharing_a_workspace_root_commit_one_at_a_time_each_its_own_files()
    {
        // Worker processes on one machine share the workspace root: two providers over one folder stand for them (each
        // with its own in-process gate, so only a lock between processes keeps their git commands apart).
        await using var first = new ScratchWorkspaces();
        await using var second = new LocalWorkspaceProvider(Microsoft.Extensions.Options.Options.Create(first.Options), TimeProvider.System);
        var a = await first.GetAsync();
        var b = await second.GetWorkspaceAsync(a.ProjectId, Ct);

        var shas = await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            var workspace = i % 2 == 0 ? a : b;
            await workspace.WriteFileAsync($"feature{i}.cs", $"class F{i};", Ct);
            return await workspace.CommitAsync($"Feature {i}", [$"feature{i}.cs"], Ct);
        }));

        Assert.Equal(16, shas.Distinct().Count());
        foreach (var (sha, i) in shas.Select((s, i) => (s!, i)))
        {
            var files = await a.RunAsync(new CommandRequest(["git", "show", "--name-only", "--format=", sha]), Ct);
            Assert.Equal($"feature{i}.cs\n", files.Output);
        }

        var count = await a.RunAsync(new CommandRequest(["git", "rev-list", "--count", "HEAD"]), Ct);
        Assert.Equal("16\n", count.Output);
    }

    [Fact]
    public async Task A_commit_waits_for_another_process_holding_the_workspace_lock_and_gives_up_with_the_reason()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var options = new WorkspaceOptions { RootDirectory = Path.Combine(Path.GetTempPath(), "vic-tests", Guid.NewGuid().ToString("N")) };
        await using var provider = new LocalWorkspaceProvider(Microsoft.Extensions.Options.Options.Create(options), time);
        try
        {
            var workspace = await provider.GetWorkspaceAsync(new ProjectId("prj_locked"), Ct);
            await workspace.WriteFileAsync("a.txt", "a", Ct);
            string lockPath = Path.Combine(options.RootDirectory, LocalProjectWorkspace.CommitLockFolder, "prj_locked.lock");
            Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);

            // Another process's commit holds the lock (here: this test, through a file opened without sharing).
            using (new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
            {
                var waiting = workspace.CommitAsync("Waits", ["a.txt"], Ct);
                time.Advance(LocalProjectWorkspace.CommitLockTimeout - TimeSpan.FromSeconds(1));
                await Task.Delay(200, Ct);
                Assert.False(waiting.IsCompleted, "The commit did not wait for the lock.");
                while (!waiting.IsCompleted)
                {
                    time.Advance(TimeSpan.FromSeconds(1));
                    await Task.Delay(20, Ct);
                }

                var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => waiting);
                Assert.Contains("Could not take the commit lock of the workspace of prj_locked", refused.Message, StringComparison.Ordinal);
                Assert.False(Directory.Exists(Path.Combine(workspace.RootPath, ".git")), "Git ran without the lock.");
            }

            // Released (the other process committed, or ended): the next commit goes through.
            Assert.NotNull(await workspace.CommitAsync("Goes through", ["a.txt"], Ct));
        }
        finally
        {
            Directory.Delete(options.RootDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task A_git_init_a_killed_process_left_unfinished_is_made_again()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        await workspace.WriteFileAsync("docs/requirements.md", "# Requirements", Ct);

        // What a kill during `git init` left: HEAD, config and refs, but no objects; git takes it for no repository.
        string git = Path.Combine(workspace.RootPath, ".git");
        Directory.CreateDirectory(Path.Combine(git, "refs", "heads"));
        await File.WriteAllTextAsync(Path.Combine(git, "HEAD"), "ref: refs/heads/main\n", Ct);
        await File.WriteAllTextAsync(Path.Combine(git, "config"), "[core]\n\trepositoryformatversion = 0\n", Ct);
        Directory.SetLastWriteTimeUtc(git, DateTime.UtcNow.AddDays(-1)); // by a process older than this one

        await using var next = new LocalWorkspaceProvider(Microsoft.Extensions.Options.Options.Create(scratch.Options), TimeProvider.System);
        var after = await next.GetWorkspaceAsync(workspace.ProjectId, Ct);
        await after.WriteFileAsync("bin/Debug/app.dll", "build output", Ct);

        Assert.NotNull(await after.CommitAsync("Requirements", cancellationToken: Ct));
        var files = await after.RunAsync(new CommandRequest(["git", "ls-files"]), Ct);
        Assert.Equal("docs/requirements.md", files.Output.Trim()); // and the rebuilt repository still leaves build output out
    }

    [Fact]
    public async Task A_git_lock_a_minute_old_is_removed_even_when_this_process_is_older()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        await workspace.WriteFileAsync("a.txt", "a", Ct);
        Assert.NotNull(await workspace.CommitAsync("First", cancellationToken: Ct));

        // Another worker process sharing this workspace root died mid-commit two minutes ago (after this one started).
        string stale = Path.Combine(workspace.RootPath, ".git", "index.lock");
        await File.WriteAllTextAsync(stale, "", Ct);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddMinutes(-2));
        await workspace.WriteFileAsync("b.txt", "b", Ct);

        Assert.NotNull(await workspace.CommitAsync("Second", cancellationToken: Ct));
        Assert.False(File.Exists(stale));
    }

    [Fact]
    public async Task A_fresh_git_lock_is_left_alone()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        await workspace.WriteFileAsync("a.txt", "a", Ct);
        Assert.NotNull(await workspace.CommitAsync("First", cancellationToken: Ct));
        await using var next = new LocalWorkspaceProvider(Microsoft.Extensions.Options.Options.Create(scratch.Options), TimeProvider.System);
        var other = await next.GetWorkspaceAsync(workspace.ProjectId, Ct);
        string held = Path.Combine(workspace.RootPath, ".git", "index.lock");
        await File.WriteAllTextAsync(held, "", Ct); // a git of a live process holds it now

        await other.WriteFileAsync("b.txt", "b", Ct);
        await Assert.ThrowsAsync<InvalidOperationException>(() => other.CommitAsync("Second", cancellationToken: Ct));
        Assert.True(File.Exists(held));
    }

    [Fact]
    public async Task Files_a_killed_process_staged_are_not_swept_into_the_next_processs_commit()
    {
        await using var scratch = new ScratchWorkspaces();
        var crashed = await scratch.GetAsync();
        await crashed.WriteFileAsync("first.txt", "first", Ct);
        Assert.NotNull(await crashed.CommitAsync("First", cancellationToken: Ct));
        await crashed.WriteFileAsync("docs/design.md", "design", Ct);
        await GitOutsideTheSandboxAsync(crashed.RootPath, "add", "docs/design.md"); // the workspace's own git, then killed before its commit

        await using var next = new LocalWorkspaceProvider(Microsoft.Extensions.Options.Options.Create(scratch.Options), TimeProvider.System);
        var after = await next.GetWorkspaceAsync(crashed.ProjectId, Ct);
        await after.WriteFileAsync("Service/Program.cs", "class Program;", Ct);
        var sha = await after.CommitAsync("Scaffold\n\nWork-Item: wi_scaffold", ["Service/Program.cs"], Ct);

        var files = await after.RunAsync(new CommandRequest(["git", "show", "--name-only", "--format=", sha!]), Ct);
        Assert.Equal("Service/Program.cs\n", files.Output);
        Assert.Equal("design", await after.ReadFileAsync("docs/design.md", Ct)); // still in the working tree, for its own item's next try
    }

    /// <summary>Runs git on the workspace directly, as the workspace's own git does (agents cannot write the repository).</summary>
    internal static async Task GitOutsideTheSandboxAsync(string root, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        await process.WaitForExitAsync(Ct);
        Assert.Equal(0, process.ExitCode);
    }
}
