using System.Collections.Concurrent;
using System.ComponentModel;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Testing;

/// <summary>A workspace in memory for tests: files in a dictionary; commands answer exit code 0 without running; commits and deployments are only recorded.</summary>
/// <remarks>Paths are confined as the contract says: <c>..</c> and absolute paths are refused with <see cref="WorkspacePathException"/>.</remarks>
public sealed class InMemoryWorkspace : IProjectWorkspace
{
    private readonly ConcurrentDictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _commits = new();
    // Paths written since the last commit that included them; one lock keeps commits and writes consistent.
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    // Commit ids by their message's Work-Item trailer: a work item's commit is made once.
    private readonly Dictionary<string, string> _commitsByWorkItem = new(StringComparer.Ordinal);

    /// <summary>Creates an empty workspace.</summary>
    /// <param name="projectId">The project.</param>
    public InMemoryWorkspace(ProjectId projectId) => ProjectId = projectId;

    /// <inheritdoc />
    public ProjectId ProjectId { get; }

    /// <inheritdoc />
    public string RootPath => "memory://" + ProjectId;

    /// <summary>Gets the commit messages, oldest first.</summary>
    public IReadOnlyCollection<string> Commits => _commits;

    /// <summary>Gets the files, by path.</summary>
    public IReadOnlyDictionary<string, string> Files => _files;

    /// <inheritdoc />
    public Task<string> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var relative = Normalize(path);
        return _files.TryGetValue(relative, out var text) ? Task.FromResult(text) : Task.FromException<string>(new FileNotFoundException($"No file '{relative}' in the workspace.", relative));
    }

    /// <inheritdoc />
    public Task WriteFileAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var relative = Normalize(path);
        if (relative.Length == 0)
        {
            throw new WorkspacePathException($"The path '{path}' was refused: it names the workspace root, not a file.");
        }

        lock (_gate)
        {
            // As in git, writing a file's own content again changes nothing.
            if (!_files.TryGetValue(relative, out var existing) || existing != content)
            {
                _files[relative] = content;
                _changed.Add(relative);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListFilesAsync(string path = "", CancellationToken cancellationToken = default)
    {
        var folder = Normalize(path);
        var prefix = folder.Length == 0 ? "" : folder + "/";
        return Task.FromResult<IReadOnlyList<string>>([.. _files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)]);
    }

    /// <inheritdoc />
    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Normalize(request.WorkingDirectory);
        return Task.FromResult(new CommandResult(0, "in-memory workspace: nothing was run", false, TimeSpan.Zero));
    }

    /// <inheritdoc />
    /// <remarks>The id is a new random hex string: there is no repository.</remarks>
    public Task<string?> CommitAsync(string message, IReadOnlyCollection<string>? paths = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        var relative = paths?.Select(Normalize).ToArray();
        string? trailer = message.ReplaceLineEndings("\n").Split('\n').FirstOrDefault(l => l.StartsWith("Work-Item: ", StringComparison.Ordinal));
        lock (_gate)
        {
            bool nothingToCommit = relative is null ? _changed.Count == 0 : !relative.Any(_changed.Contains);
            if (nothingToCommit && trailer is not null && _commitsByWorkItem.TryGetValue(trailer, out var existing))
            {
                // As git workspaces do: a work item's commit is made once.
                return Task.FromResult<string?>(existing);
            }

            if (relative is null)
            {
                if (_changed.Count == 0)
                {
                    return Task.FromResult<string?>(null);
                }

                _changed.Clear();
            }
            else
            {
                _changed.ExceptWith(relative);
            }

            _commits.Enqueue(message);
            string id = Guid.NewGuid().ToString("N");
            if (trailer is not null)
            {
                _commitsByWorkItem.TryAdd(trailer, id);
            }

            return Task.FromResult<string?>(id);
        }
    }

    /// <inheritdoc />
    public Task<Uri> DeployAsync(string environment, DeploymentSpec spec, CancellationToken cancellationToken = default) =>
        Task.FromResult(new Uri($"http://127.0.0.1/{environment}/"));

    /// <inheritdoc />
    public Task<HealthChecked> CheckHealthAsync(string environment, CancellationToken cancellationToken = default) =>
        Task.FromResult(new HealthChecked(environment, new Uri($"http://127.0.0.1/{environment}/health"), true, 200));

    /// <inheritdoc />
    public Task StopAsync(string environment, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public IList<AITool> CreateFileTools(Action<string>? onFileWritten = null) =>
    [
        Tool(
            async ([Description("The folder to list; empty for the whole workspace.")] string path = "") => string.Join('\n', await ListFilesAsync(path).ConfigureAwait(false)),
            "list_files",
            "Lists the files in the project workspace, one relative path per line, sorted."),
        Tool(
            ([Description("The file to read, relative to the workspace root.")] string path) => ReadFileAsync(path),
            "read_file",
            "Reads a text file of the project workspace and returns its content."),
        Tool(
            async ([Description("The file to write, relative to the workspace root.")] string path, [Description("The complete new content of the file.")] string content) =>
            {
                await WriteFileAsync(path, content).ConfigureAwait(false);
                var relative = Normalize(path);
                onFileWritten?.Invoke(relative);
                return $"Wrote {content.Length} characters to {relative}.";
            },
            "write_file",
            "Creates or replaces a text file in the project workspace with the given content."),
        Tool(
            ([Description("The text to look for, ignoring case.")] string text) => Search(text),
            "search_files",
            "Searches the text files of the project workspace for a text (ignoring case) and returns matching lines as 'path:line: text'."),
    ];

    private static AIFunction Tool(Delegate method, string name, string description) =>
        AIFunctionFactory.Create(method, new AIFunctionFactoryOptions { Name = name, Description = description, SerializerOptions = TestingJsonContext.ToolOptions });

    /// <summary>Normalises a relative path to '/' separators without empty or '.' segments, refusing every way out of the workspace.</summary>
    private static string Normalize(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return "";
        }

        var slashed = path.Trim().Replace('\\', '/');
        if (slashed.Contains('\0', StringComparison.Ordinal))
        {
            throw new WorkspacePathException("The path was refused: it contains a NUL character.");
        }

        if (slashed.StartsWith('/') || Path.IsPathRooted(path) || (slashed.Length >= 2 && slashed[1] == ':' && char.IsAsciiLetter(slashed[0])))
        {
            throw new WorkspacePathException($"The path '{path}' was refused: it is absolute; give a path relative to the workspace root.");
        }

        var segments = slashed.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
        if (segments.Contains(".."))
        {
            throw new WorkspacePathException($"The path '{path}' was refused: it has a '..' segment, which could climb out of the workspace.");
        }

        return string.Join('/', segments);
    }

    private string Search(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var matches = new List<string>();
        foreach (var (path, content) in _files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var lines = content.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Contains(text, StringComparison.OrdinalIgnoreCase))
                {
                    matches.Add($"{path}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        return matches.Count == 0 ? $"No line contains '{text}'." : string.Join('\n', matches);
    }
}
