using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace VirtualItCompany.Workspace;

/// <summary>A project's working directory on the local disk: confined files, allow-listed commands, a local git repository and deployments as local processes.</summary>
/// <remarks>
/// Writes into the <c>.git</c> folder are refused. A command's own <see cref="CommandRequest.Timeout"/> applies (a non-positive one means
/// <see cref="WorkspaceOptions.DefaultCommandTimeout"/>); its <see cref="CommandRequest.MaxOutputChars"/> is capped by <see cref="WorkspaceOptions.MaxOutputChars"/>.
/// </remarks>
internal sealed partial class LocalProjectWorkspace : IProjectWorkspace, IAsyncDisposable
{
    /// <summary>Folders left out of listings, searches and commits: build output and the repository itself.</summary>
    internal static readonly FrozenSet<string> SkippedFolders = new[] { ".git", "bin", "obj" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly WorkspacePaths _paths;
    private readonly WorkspaceOptions _options;
    private readonly CommandRunner _runner;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _commitGate = new(1, 1);
    private bool _locksChecked;
    private readonly SemaphoreSlim _deployGate = new(1, 1);
    private readonly ConcurrentDictionary<string, LocalDeployment> _deployments = new(StringComparer.Ordinal);

    /// <summary>Creates the workspace, creating its directory when missing.</summary>
    public LocalProjectWorkspace(ProjectId projectId, string rootPath, WorkspaceOptions options, TimeProvider timeProvider, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _ = ProcessStartedAt.Value; // before any git of this process runs here: older git locks are a dead process's
        Directory.CreateDirectory(rootPath);
        ProjectId = projectId;
        _paths = new WorkspacePaths(rootPath);
        _options = options;
        _timeProvider = timeProvider;
        _runner = new CommandRunner(options, timeProvider);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public ProjectId ProjectId { get; }

    /// <inheritdoc />
    public string RootPath => _paths.RootPath;

    /// <inheritdoc />
    public async Task<string> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var (relative, fullPath) = _paths.Resolve(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"There is no file '{relative}' in the workspace.", relative);
        }

        return await File.ReadAllTextAsync(fullPath, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task WriteFileAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var (_, fullPath) = ResolveWritable(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        await File.WriteAllTextAsync(fullPath, content, Utf8NoBom, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListFilesAsync(string path = "", CancellationToken cancellationToken = default)
    {
        var (relative, fullPath) = _paths.Resolve(path);
        if (!Directory.Exists(fullPath))
        {
            throw new DirectoryNotFoundException($"There is no folder '{relative}' in the workspace.");
        }

        var files = new List<string>();
        var pending = new Stack<string>([fullPath]);
        var enumeration = new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0 };
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var entry in new DirectoryInfo(pending.Pop()).EnumerateFileSystemInfos("*", enumeration))
            {
                if (entry is FileInfo)
                {
                    files.Add(_paths.ToRelative(entry.FullName));
                }
                else if (entry.LinkTarget is null && !SkippedFolders.Contains(entry.Name))
                {
                    // Linked folders are not followed: they may lead out of the workspace or round in circles.
                    pending.Push(entry.FullName);
                }
            }
        }

        files.Sort(StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<string>>(files);
    }

    /// <inheritdoc />
    /// <exception cref="WorkspacePathException">The program is not on the allow-list, or the working directory leaves the workspace.</exception>
    /// <exception cref="InvalidOperationException">The program could not be started.</exception>
    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (relative, workingDirectory) = _paths.Resolve(request.WorkingDirectory);
        if (!Directory.Exists(workingDirectory))
        {
            throw new DirectoryNotFoundException($"There is no folder '{relative}' in the workspace to run the command in.");
        }

        var startInfo = _runner.CreateStartInfo(request.Arguments, workingDirectory);
        WorkspaceLog.Running(_logger, request.Arguments[0], ProjectId);
        var timeout = request.Timeout > TimeSpan.Zero ? request.Timeout : _options.DefaultCommandTimeout;
        var maxChars = request.MaxOutputChars > 0 ? Math.Min(request.MaxOutputChars, _options.MaxOutputChars) : _options.MaxOutputChars;
        return _runner.RunAsync(startInfo, timeout, maxChars, cancellationToken);
    }

    /// <inheritdoc />
    public IList<AITool> CreateFileTools(Action<string>? onFileWritten = null) =>
        new WorkspaceFileTools(this, onFileWritten).Create();

    /// <summary>Resolves a path for reading, refusing paths out of the workspace.</summary>
    internal (string Relative, string FullPath) ResolveReadable(string path) => _paths.Resolve(path);

    /// <summary>Resolves a path for writing a file: not the root, and nothing inside <c>.git</c>.</summary>
    internal (string Relative, string FullPath) ResolveWritable(string path)
    {
        var (relative, fullPath) = _paths.Resolve(path);
        if (relative.Length == 0)
        {
            throw new WorkspacePathException($"The path '{path}' was refused: it names the workspace root, not a file.");
        }

        if (relative.Split('/').Contains(".git", StringComparer.OrdinalIgnoreCase))
        {
            throw new WorkspacePathException($"The path '{path}' was refused: the .git folder is managed by the workspace; commit to change history.");
        }

        return (relative, fullPath);
    }
}
