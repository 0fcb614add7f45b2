namespace VirtualItCompany.Workspace;

/// <content>Commits to the workspace's local git repository.</content>
internal sealed partial class LocalProjectWorkspace
{
    // The workspace's repository must not depend on the machine's or the user's git settings (identity, signing, hooks).
    private static readonly KeyValuePair<string, string>[] GitEnvironment =
    [
        new("GIT_CONFIG_NOSYSTEM", "1"),
        new("GIT_CONFIG_GLOBAL", OperatingSystem.IsWindows() ? "NUL" : "/dev/null"),
        new("GIT_TERMINAL_PROMPT", "0"),
    ];

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
        try
        {
            if (!_locksChecked)
            {
                RemoveStaleLocks();
                await UnstageLeftoversAsync(cancellationToken).ConfigureAwait(false);
                _locksChecked = true;
            }

            if (!Directory.Exists(Path.Combine(RootPath, ".git")))
            {
                await GitAsync(["init", "-q", "-b", "main"], cancellationToken).ConfigureAwait(false);
                var info = Directory.CreateDirectory(Path.Combine(RootPath, ".git", "info"));
                await File.AppendAllTextAsync(Path.Combine(info.FullName, "exclude"), "\nbin/\nobj/\n", cancellationToken).ConfigureAwait(false);
            }

            // An empty list stages nothing ('git add -A --' alone would stage the whole tree).
            if (relative is null || relative.Length > 0)
            {
                await GitAsync(relative is null ? ["add", "-A"] : ["add", "-A", "--", .. relative], cancellationToken).ConfigureAwait(false);
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
            await GitAsync(
                ["-c", "user.name=" + _options.GitAuthorName, "-c", "user.email=" + _options.GitAuthorEmail, "-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "--allow-empty", "-m", message],
                cancellationToken).ConfigureAwait(false);
            var sha = (await GitAsync(["rev-parse", "HEAD"], cancellationToken).ConfigureAwait(false)).Trim();
            WorkspaceLog.Committed(_logger, sha, ProjectId);
            return sha;
        }
        finally
        {
            _commitGate.Release();
        }
    }

    private async Task<string> GitAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var startInfo = _runner.CreateStartInfo(["git", .. arguments], RootPath, GitEnvironment);
        var result = await _runner.RunAsync(startInfo, _options.DefaultCommandTimeout, _options.MaxOutputChars, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"git {arguments[0]} failed in the workspace of {ProjectId} (exit code {result.ExitCode}{(result.TimedOut ? ", timed out" : "")}):\n{Tail(result.Output)}");
        }

        return result.Output;
    }

    /// <summary>Gets the end of a command's output, short enough for an exception message.</summary>
    private static string Tail(string output) =>
        output.Length <= 4000 ? output : "..." + output[^4000..];

    /// <summary>
    /// Removes git's lock files (<c>index.lock</c>, <c>HEAD.lock</c>, branch locks) that a process killed mid-commit left
    /// behind: older than this process, so no git of ours holds them, and git never holds one for long. Without this, a
    /// crash during a commit would fail every later commit of the project.
    /// </summary>
    private void RemoveStaleLocks()
    {
        string git = Path.Combine(RootPath, ".git");
        if (!Directory.Exists(git))
        {
            return;
        }

        var processStarted = ProcessStartedAt.Value;
        var candidates = new[] { Path.Combine(git, "index.lock"), Path.Combine(git, "HEAD.lock") }
            .Concat(Directory.Exists(Path.Combine(git, "refs")) ? Directory.EnumerateFiles(Path.Combine(git, "refs"), "*.lock", SearchOption.AllDirectories) : []);
        foreach (var file in candidates)
        {
            if (File.Exists(file) && File.GetLastWriteTimeUtc(file) < processStarted)
            {
                File.Delete(file);
                WorkspaceLog.RemovedStaleLock(_logger, Path.GetRelativePath(RootPath, file), ProjectId);
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

        var head = _runner.CreateStartInfo(["git", "rev-parse", "--verify", "-q", "HEAD"], RootPath, GitEnvironment);
        bool hasCommits = (await _runner.RunAsync(head, _options.DefaultCommandTimeout, _options.MaxOutputChars, cancellationToken).ConfigureAwait(false)).Succeeded;
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
