namespace VirtualItCompany.Workspace;

/// <content>Commits to the workspace's local git repository.</content>
internal sealed partial class LocalProjectWorkspace
{
    private static readonly string NullDevice = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";

    // The workspace's repository must not depend on the machine's or the user's git settings (identity, signing, hooks), and
    // paths are paths, never patterns ('*' commits only a file named '*').
    private static readonly KeyValuePair<string, string>[] GitEnvironment =
    [
        new("GIT_CONFIG_NOSYSTEM", "1"),
        new("GIT_CONFIG_GLOBAL", NullDevice),
        new("GIT_TERMINAL_PROMPT", "0"),
        new("GIT_LITERAL_PATHSPECS", "1"),
        new("GIT_ATTR_NOSYSTEM", "1"),
        new("GIT_NO_REPLACE_OBJECTS", "1"),
        new("GIT_OPTIONAL_LOCKS", "0"),
    ];

    // Every git call of the workspace overrides what a repository setting could make git run: no fsmonitor, no hooks, no pager,
    // no external diff, no transports, no signing. The repository's own config is rewritten to a fixed one before each commit,
    // so includes, filters and aliases an agent might have put there have no effect either.
    private static readonly string[] GitHardening =
    [
        "-c", "core.fsmonitor=false",
        "-c", "core.hooksPath=" + NullDevice,
        "-c", "core.pager=cat",
        "-c", "core.attributesFile=" + NullDevice,
        "-c", "core.excludesFile=" + NullDevice,
        "-c", "core.sshCommand=false",
        "-c", "core.untrackedCache=false",
        "-c", "diff.external=",
        "-c", "protocol.allow=never",
        "-c", "commit.gpgsign=false",
        "-c", "tag.gpgsign=false",
        "-c", "gc.auto=0",
        "-c", "maintenance.auto=false",
    ];

    private static readonly string FixedRepositoryConfig = "[core]\n\trepositoryformatversion = 0\n\tfilemode = " + (OperatingSystem.IsWindows() ? "false" : "true") + "\n\tbare = false\n\tlogallrefupdates = true\n";

    /// <inheritdoc />
    /// <remarks>The first commit creates the repository (<c>git init -b main</c>); build output (<c>bin/</c>, <c>obj/</c>) is excluded through <c>.git/info/exclude</c>, so no file is added to the work tree.</remarks>
    /// <exception cref="WorkspacePathException"><c>git</c> is not on the allow-list.</exception>
    /// <exception cref="InvalidOperationException">A git command failed; the message carries its output.</exception>
    public async Task<string?> CommitAsync(string message, IReadOnlyCollection<string>? paths = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        // Resolve first: a path out of the workspace is refused before git runs.
        string[]? relative = paths?.Select(p => _paths.Resolve(p).Relative).ToArray();
        await _commitGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        FileStream? processLock = null;
        try
        {
            processLock = await LockCommitsAsync(cancellationToken).ConfigureAwait(false);
            // Every commit: a host sharing this workspace root (another worker process) may have died mid-commit since.
            RemoveAbandonedInit();
            RemoveStaleLocks();
            if (!_locksChecked)
            {
                RemoveStaleWrites();
                await UnstageLeftoversAsync(cancellationToken).ConfigureAwait(false);
                _locksChecked = true;
            }

            await EnsureRepositoryAsync(cancellationToken).ConfigureAwait(false);

            // An empty list stages nothing ('git add -A --' alone would stage the whole tree).
            if (relative is null || relative.Length > 0)
            {
                try
                {
                    await GitAsync(relative is null ? ["add", "-A"] : ["add", "-A", "--", .. relative], cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidOperationException ex)
                {
                    // Git refused a path (a name it will not track, such as one inside a nested repository): nothing of this
                    // item stays staged, so the next item's commit is not blocked or polluted; the item fails with the reason.
                    await UnstageAllAsync(cancellationToken).ConfigureAwait(false);
                    throw new InvalidOperationException($"Git refused to stage the files of this commit ({string.Join(", ", relative ?? [])}); nothing was committed. {ex.Message}", ex);
                }
            }

            var status = await GitAsync(["diff", "--cached", "--name-only"], cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(status) && WorkItemTrailer(message) is { } trailer
                && (await GitAsync(["log", "--all", "-n", "1", "--format=%H", "--fixed-strings", "--grep=" + trailer], cancellationToken).ConfigureAwait(false)).Trim() is { Length: > 0 } existing)
            {
                // The work item was committed by an earlier try whose result was never saved: the same work is not committed twice.
                return existing;
            }

            if (relative is null && string.IsNullOrWhiteSpace(status))
            {
                return null;
            }

            // Only what was staged is committed, so concurrent work items each get their own commit.
            try
            {
                await GitAsync(["commit", "-q", "--no-verify", "--allow-empty", "--cleanup=verbatim", "-m", message], cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                await UnstageAllAsync(cancellationToken).ConfigureAwait(false);
                throw;
            }

            var sha = (await GitAsync(["rev-parse", "HEAD"], cancellationToken).ConfigureAwait(false)).Trim();
            WorkspaceLog.Committed(_logger, sha, ProjectId);
            return sha;
        }
        finally
        {
            if (processLock is not null)
            {
                await processLock.DisposeAsync().ConfigureAwait(false);
            }

            _commitGate.Release();
        }
    }

    /// <summary>The folder, beside the workspaces, of their commit locks; '~' is in no project id, so no workspace is named so.</summary>
    internal const string CommitLockFolder = "~locks";

    /// <summary>How soon a commit that waits for another process's commit in the same workspace tries its lock again.</summary>
    private static readonly TimeSpan CommitLockRetry = TimeSpan.FromMilliseconds(10);

    /// <summary>How long a commit waits for another process's commit in the same workspace (git's take milliseconds).</summary>
    internal static readonly TimeSpan CommitLockTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Takes the workspace's commit lock between processes. Worker processes on one machine share the workspace root, and
    /// two gits committing in one repository at once fail ("cannot lock ref 'HEAD'", "index.lock exists") or commit each
    /// other's staged files; the in-process gate keeps apart only this process's commits. The lock is a file beside the
    /// workspace held open without sharing (an advisory <c>flock</c> on Unix, a sharing mode on Windows), which the system
    /// drops when its process ends, even killed: it is never left stale. A live process holding it past
    /// <see cref="CommitLockTimeout"/> (stopped with SIGSTOP, or hung) fails the commit with the reason, so that a stopped
    /// host cannot hold up the others' work on the project for longer (the item is tried again).
    /// </summary>
    /// <exception cref="InvalidOperationException">Another process held the lock past <see cref="CommitLockTimeout"/>.</exception>
    private async Task<FileStream> LockCommitsAsync(CancellationToken cancellationToken)
    {
        string path = Path.Combine(Path.GetDirectoryName(RootPath)!, CommitLockFolder, ProjectId.Value + ".lock");
        long started = _timeProvider.GetTimestamp();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
            }
            catch (DirectoryNotFoundException)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            }
            catch (IOException ex)
            {
                // Held by another process (or a file system error, which persists: its message is in the one thrown).
                if (_timeProvider.GetElapsedTime(started) > CommitLockTimeout)
                {
                    throw new InvalidOperationException($"Could not take the commit lock of the workspace of {ProjectId} ({path}) within {CommitLockTimeout.TotalSeconds:0} s: {ex.Message} Nothing was committed. A process sharing this workspace root that was stopped (SIGSTOP) or hung mid-commit holds it until it goes on or ends.", ex);
                }

                await Task.Delay(CommitLockRetry, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Makes sure the workspace has its repository: a real <c>.git</c> folder (not a link, not a file pointing elsewhere), created by
    /// <c>git init</c> when missing, with the fixed repository config (whatever an agent may have written there is dropped).
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>.git</c> is a link or a file; the workspace refuses to use it.</exception>
    private async Task EnsureRepositoryAsync(CancellationToken cancellationToken)
    {
        var git = new DirectoryInfo(Path.Combine(RootPath, ".git"));
        if (git.LinkTarget is not null || File.Exists(git.FullName))
        {
            throw new InvalidOperationException($"The workspace of {ProjectId} has a '.git' that is a link or a file, not the workspace's repository; remove it so the workspace can create its own.");
        }

        if (!git.Exists)
        {
            await GitAsync(["init", "-q", "-b", "main", "--template="], cancellationToken).ConfigureAwait(false);
        }

        // Build output is not committed, and a file being written is renamed into place when complete: git never takes the
        // half-written temporary. Checked every time: a process killed right after its init had not written them yet.
        var exclude = Path.Combine(git.FullName, "info", "exclude");
        string excluded = File.Exists(exclude) ? await File.ReadAllTextAsync(exclude, cancellationToken).ConfigureAwait(false) : "";
        var present = excluded.ReplaceLineEndings("\n").Split('\n').ToHashSet(StringComparer.Ordinal);
        var missing = ExcludedPatterns.Where(pattern => !present.Contains(pattern)).ToList();
        if (missing.Count > 0)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(exclude)!);
            await File.AppendAllTextAsync(exclude, "\n" + string.Join("\n", missing) + "\n", cancellationToken).ConfigureAwait(false);
        }

        var config = new FileInfo(Path.Combine(git.FullName, "config"));
        if (config.LinkTarget is not null)
        {
            config.Delete();
        }

        if (!config.Exists || config.Length != FixedRepositoryConfig.Length || await File.ReadAllTextAsync(config.FullName, cancellationToken).ConfigureAwait(false) != FixedRepositoryConfig)
        {
            await File.WriteAllTextAsync(config.FullName, FixedRepositoryConfig, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Empties the index back to <c>HEAD</c> (or to nothing before the first commit); the files stay in the working tree.</summary>
    private async Task UnstageAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            await UnstageLeftoversAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            WorkspaceLog.UnstageFailed(_logger, ProjectId, ex.Message.Split('\n')[0]);
        }
    }

    private async Task<string> GitAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var result = await RunGitAsync(arguments, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"git {arguments[0]} failed in the workspace of {ProjectId} (exit code {result.ExitCode}{(result.TimedOut ? ", timed out" : "")}):\n{Tail(result.Output)}");
        }

        return result.Output;
    }

    /// <summary>Runs the workspace's own git, hardened, with the fixed identity, in the sandbox when there is one.</summary>
    private Task<CommandResult> RunGitAsync(string[] arguments, CancellationToken cancellationToken)
    {
        KeyValuePair<string, string>[] environment =
        [
            .. GitEnvironment,
            new("GIT_AUTHOR_NAME", _options.GitAuthorName), new("GIT_AUTHOR_EMAIL", _options.GitAuthorEmail),
            new("GIT_COMMITTER_NAME", _options.GitAuthorName), new("GIT_COMMITTER_EMAIL", _options.GitAuthorEmail),
        ];
        var startInfo = _runner.CreateStartInfo(
            ["git", .. GitHardening, "-c", "user.name=" + _options.GitAuthorName, "-c", "user.email=" + _options.GitAuthorEmail, .. arguments],
            RootPath, RootPath, SandboxProfile.SourceControl, _options.DefaultCommandTimeout, environment);
        return _runner.RunAsync(startInfo, _options.DefaultCommandTimeout, _options.MaxOutputChars, cancellationToken);
    }

    /// <summary>Gets the end of a command's output, short enough for an exception message.</summary>
    private static string Tail(string output) =>
        output.Length <= 4000 ? output : "..." + output[^4000..];

    /// <summary>The age past which a git lock file is a dead process's: git holds its locks for the milliseconds of one command.</summary>
    private static readonly TimeSpan StaleGitLockAge = TimeSpan.FromMinutes(1);

    /// <summary>What <c>.git/info/exclude</c> must hold: build output and the temporaries of files being written.</summary>
    private static readonly string[] ExcludedPatterns = ["bin/", "obj/", TemporaryPattern];

    /// <summary>
    /// Removes a <c>.git</c> that a process killed during <c>git init</c> left without its object folder (git writes
    /// <c>HEAD</c>, <c>config</c> and <c>refs</c> first): git takes it for no repository at all, so every later commit of the
    /// project failed. Without objects nothing was ever committed in it, so nothing is lost; the next commit makes the
    /// repository again. As with the locks, only one older than this process or than <see cref="StaleGitLockAge"/> (another
    /// process's init may be under way).
    /// </summary>
    private void RemoveAbandonedInit()
    {
        var git = new DirectoryInfo(Path.Combine(RootPath, ".git"));
        if (!git.Exists || git.LinkTarget is not null || Directory.Exists(Path.Combine(git.FullName, "objects")))
        {
            return;
        }

        if (LeftByStoppedProcess(git.LastWriteTimeUtc))
        {
            git.Delete(recursive: true);
            WorkspaceLog.RemovedAbandonedInit(_logger, ProjectId);
        }
    }

    /// <summary>Tells whether git's file written at <paramref name="written"/> (UTC) belongs to no running git: older than this process, or than <see cref="StaleGitLockAge"/>.</summary>
    private bool LeftByStoppedProcess(DateTime written) =>
        written < ProcessStartedAt.Value || _timeProvider.GetUtcNow().UtcDateTime - written > StaleGitLockAge;

    /// <summary>
    /// Removes git's lock files (<c>index.lock</c>, <c>HEAD.lock</c>, branch locks) that a process killed mid-commit left
    /// behind: older than this process, so no git of ours holds them, or older than <see cref="StaleGitLockAge"/>, which no
    /// git commit of any process holds one for (worker processes on one machine share a workspace root). Without this, a
    /// crash during a commit would fail every later commit of the project.
    /// </summary>
    private void RemoveStaleLocks()
    {
        string git = Path.Combine(RootPath, ".git");
        if (!Directory.Exists(git))
        {
            return;
        }

        var candidates = new[] { Path.Combine(git, "index.lock"), Path.Combine(git, "HEAD.lock") }
            .Concat(Directory.Exists(Path.Combine(git, "refs")) ? Directory.EnumerateFiles(Path.Combine(git, "refs"), "*.lock", SearchOption.AllDirectories) : []);
        foreach (var file in candidates)
        {
            if (File.Exists(file) && LeftByStoppedProcess(File.GetLastWriteTimeUtc(file)))
            {
                File.Delete(file);
                WorkspaceLog.RemovedStaleLock(_logger, Path.GetRelativePath(RootPath, file), ProjectId);
            }
        }
    }

    private const string TemporaryPattern = ConfinedFiles.TemporaryPrefix + "*" + ConfinedFiles.TemporarySuffix;

    /// <summary>
    /// Deletes the temporaries of writes that a process killed before their rename left behind (older than this process,
    /// so no write of ours is under way in them): they are never listed or committed, and the delivered tree holds none.
    /// </summary>
    private void RemoveStaleWrites()
    {
        var processStarted = ProcessStartedAt.Value;
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(RootPath)]);
        while (pending.TryPop(out var folder))
        {
            foreach (var entry in folder.EnumerateFileSystemInfos())
            {
                if (entry.LinkTarget is not null)
                {
                    continue;
                }

                if (entry is DirectoryInfo child)
                {
                    if (!SkippedFolders.Contains(child.Name))
                    {
                        pending.Push(child);
                    }
                }
                else if (ConfinedFiles.IsTemporary(entry.Name) && entry.LastWriteTimeUtc < processStarted)
                {
                    entry.Delete();
                    WorkspaceLog.RemovedStaleWrite(_logger, Path.GetRelativePath(RootPath, entry.FullName), ProjectId);
                }
            }
        }
    }

    // When this process first used a local workspace, taken from the file system's own clock reading (not the process start
    // time, which is derived from the boot time and can be off by seconds in a container): no git of this process ran before.
    /// <summary>
    /// Empties the index of what a process killed between its <c>git add</c> and its <c>git commit</c> staged (another work
    /// item's files), so this process's first commit holds only its own; the files stay in the working tree.
    /// </summary>
    private async Task UnstageLeftoversAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Path.Combine(RootPath, ".git")))
        {
            return;
        }

        bool hasCommits = (await RunGitAsync(["rev-parse", "--verify", "-q", "HEAD"], cancellationToken).ConfigureAwait(false)).Succeeded;
        await GitAsync(hasCommits ? ["reset", "-q"] : ["read-tree", "--empty"], cancellationToken).ConfigureAwait(false);
    }

    private static readonly Lazy<DateTime> ProcessStartedAt = new(() => DateTime.UtcNow);

    /// <summary>Gets a message's <c>Work-Item: id</c> trailer line, or <see langword="null"/>.</summary>
    internal static string? WorkItemTrailer(string message)
    {
        foreach (var line in message.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.StartsWith(WorkItemTrailerPrefix, StringComparison.Ordinal) && line.Length > WorkItemTrailerPrefix.Length && !line.AsSpan(WorkItemTrailerPrefix.Length).ContainsAny(' ', '\t'))
            {
                return line;
            }
        }

        return null;
    }

    private const string WorkItemTrailerPrefix = "Work-Item: ";
}
