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
    private readonly ConfinedFiles _files;
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
        _files = new ConfinedFiles(_paths);
        _options = options;
        _timeProvider = timeProvider;
        _runner = new CommandRunner(options, timeProvider);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public ProjectId ProjectId { get; }

    /// <inheritdoc />
    public string RootPath => _paths.RootPath;

    /// <summary>The largest file <see cref="ReadFileAsync"/> reads whole.</summary>
    internal const int MaxReadFileBytes = 16 * 1024 * 1024;

    /// <inheritdoc />
    /// <remarks>Links are never followed; FIFOs, devices and files with more than one hard link are refused; a file larger than 16 MiB is refused with an <see cref="IOException"/>.</remarks>
    public Task<string> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (bytes, size) = _files.Read(path, MaxReadFileBytes);
        if (size > bytes.Length)
        {
            throw new IOException($"The file '{WorkspacePaths.Normalize(path)}' has {size} bytes, more than the {MaxReadFileBytes} read at once.");
        }

        return Task.FromResult(Encoding.UTF8.GetString(bytes));
    }

    /// <summary>Reads at most <paramref name="maxBytes"/> bytes of a file as text.</summary>
    /// <returns>The text of the bytes read and the file's full size in bytes.</returns>
    internal (string Text, long Size) ReadText(string path, int maxBytes)
    {
        var (bytes, size) = _files.Read(path, maxBytes);
        return (Encoding.UTF8.GetString(bytes), size);
    }

    /// <inheritdoc />
    /// <remarks>The content goes to a temporary file renamed into place: a hard link or a link at the path is replaced, never written through.</remarks>
    public Task WriteFileAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        cancellationToken.ThrowIfCancellationRequested();
        _files.Write(path, Utf8NoBom.GetBytes(content));
        return Task.CompletedTask;
    }

    /// <summary>Deletes a file of the workspace (a link itself, never its target).</summary>
    internal void DeleteFile(string path) => _files.Delete(path);

    /// <summary>Moves a file of the workspace to a path that does not exist yet.</summary>
    internal void MoveFile(string fromPath, string toPath) => _files.Move(fromPath, toPath);

    /// <inheritdoc />
    /// <remarks>Only regular files are listed; links are neither listed nor followed.</remarks>
    public Task<IReadOnlyList<string>> ListFilesAsync(string path = "", CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>(_files.List(path, cancellationToken));

    /// <inheritdoc />
    /// <exception cref="WorkspacePathException">The program is not on the allow-list, or the working directory leaves the workspace.</exception>
    /// <exception cref="WorkspaceSandboxException">There is no OS sandbox here and <see cref="WorkspaceOptions.AllowUnsandboxedCommands"/> is off.</exception>
    /// <exception cref="InvalidOperationException">The program could not be started.</exception>
    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var relative = WorkspacePaths.Normalize(request.WorkingDirectory);
        if (!_files.IsFolder(relative))
        {
            throw new DirectoryNotFoundException($"There is no folder '{relative}' in the workspace to run the command in.");
        }

        var (_, workingDirectory) = _paths.Resolve(relative);
        var timeout = request.Timeout > TimeSpan.Zero ? request.Timeout : _options.DefaultCommandTimeout;
        var startInfo = _runner.CreateStartInfo(request.Arguments, RootPath, workingDirectory, SandboxProfile.AgentCommand, timeout);
        WorkspaceLog.Running(_logger, request.Arguments[0], ProjectId);
        var maxChars = request.MaxOutputChars > 0 ? Math.Min(request.MaxOutputChars, _options.MaxOutputChars) : _options.MaxOutputChars;
        return _runner.RunAsync(startInfo, timeout, maxChars, cancellationToken);
    }

    /// <summary>Gets whether this workspace's commands run in the OS sandbox.</summary>
    internal bool IsSandboxed => _runner.Sandbox.IsAvailable;

    /// <inheritdoc />
    public IList<AITool> CreateFileTools(Action<string>? onFileWritten = null) =>
        new WorkspaceFileTools(this, onFileWritten).Create();

    /// <summary>Resolves a path for reading, refusing paths out of the workspace.</summary>
    internal (string Relative, string FullPath) ResolveReadable(string path) => _paths.Resolve(path);

    /// <summary>Resolves a path for writing a file: not the root, and nothing inside <c>.git</c>.</summary>
    internal (string Relative, string FullPath) ResolveWritable(string path)
    {
        var relative = ConfinedFiles.WritableRelative(path);
        return _paths.Resolve(relative);
    }
}
