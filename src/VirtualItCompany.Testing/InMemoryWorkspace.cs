using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Testing;

/// <summary>A workspace in memory for tests: files in a dictionary; commands answer exit code 0 without running; commits and deployments are only counted.</summary>
public sealed class InMemoryWorkspace : IProjectWorkspace
{
    private readonly ConcurrentDictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _commits = new();

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
    public Task<string> ReadFileAsync(string path, CancellationToken cancellationToken = default) =>
        _files.TryGetValue(path, out var text) ? Task.FromResult(text) : Task.FromException<string>(new FileNotFoundException($"No file '{path}' in the workspace.", path));

    /// <inheritdoc />
    public Task WriteFileAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        _files[path] = content;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListFilesAsync(string path = "", CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. _files.Keys.Where(k => k.StartsWith(path, StringComparison.Ordinal)).Order(StringComparer.Ordinal)]);

    /// <inheritdoc />
    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new CommandResult(0, "in-memory workspace: nothing was run", false, TimeSpan.Zero));

    /// <inheritdoc />
    public Task<string?> CommitAsync(string message, IReadOnlyCollection<string>? paths = null, CancellationToken cancellationToken = default)
    {
        _commits.Enqueue(message);
        return Task.FromResult<string?>(null);
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
    public IList<AITool> CreateFileTools(Action<string>? onFileWritten = null) => [];
}
