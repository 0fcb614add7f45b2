using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using VirtualItCompany.Workspace;

namespace VirtualItCompany.Providers.Offline.Tests;

/// <summary>The real local workspace in a temp directory, with a hook to answer commands with a canned result instead of running them.</summary>
internal sealed class TestWorkspace : IProjectWorkspace, IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("vic-offline-").FullName;
    private readonly LocalWorkspaceProvider _provider;
    private readonly IProjectWorkspace _inner;

    public TestWorkspace()
    {
        _provider = new LocalWorkspaceProvider(Options.Create(new WorkspaceOptions { RootDirectory = _root }), TimeProvider.System);
        _inner = _provider.GetWorkspaceAsync(ProjectId).AsTask().GetAwaiter().GetResult();
    }

    public ProjectId ProjectId { get; } = ProjectId.New();

    public string RootPath => _inner.RootPath;

    /// <summary>Gets or sets a canned answer to <see cref="RunAsync"/>, instead of running a process.</summary>
    public Func<CommandRequest, CommandResult>? CannedRun { get; set; }

    public List<CommandRequest> Commands { get; } = [];

    /// <summary>Reads a file with the test's cancellation token.</summary>
    public Task<string> ReadAsync(string path) => ReadFileAsync(path, TestContext.Current.CancellationToken);

    /// <summary>Lists the files with the test's cancellation token.</summary>
    public Task<IReadOnlyList<string>> FilesAsync(string path = "") => ListFilesAsync(path, TestContext.Current.CancellationToken);

    public Task<string> ReadFileAsync(string path, CancellationToken cancellationToken = default) => _inner.ReadFileAsync(path, cancellationToken);

    public Task WriteFileAsync(string path, string content, CancellationToken cancellationToken = default) => _inner.WriteFileAsync(path, content, cancellationToken);

    public Task<IReadOnlyList<string>> ListFilesAsync(string path = "", CancellationToken cancellationToken = default) => _inner.ListFilesAsync(path, cancellationToken);

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken = default)
    {
        lock (Commands)
        {
            Commands.Add(request);
        }

        return CannedRun is { } canned ? Task.FromResult(canned(request)) : _inner.RunAsync(request, cancellationToken);
    }

    public Task<string?> CommitAsync(string message, IReadOnlyCollection<string>? paths = null, CancellationToken cancellationToken = default) =>
        _inner.CommitAsync(message, paths, cancellationToken);

    public List<DeploymentSpec> Deployments { get; } = [];

    public Task<Uri> DeployAsync(string environment, DeploymentSpec spec, CancellationToken cancellationToken = default)
    {
        lock (Deployments)
        {
            Deployments.Add(spec);
        }

        return _inner.DeployAsync(environment, spec, cancellationToken);
    }

    public Task<HealthChecked> CheckHealthAsync(string environment, CancellationToken cancellationToken = default) => _inner.CheckHealthAsync(environment, cancellationToken);

    public Task StopAsync(string environment, CancellationToken cancellationToken = default) => _inner.StopAsync(environment, cancellationToken);

    public IList<AITool> CreateFileTools(Action<string>? onFileWritten = null) => _inner.CreateFileTools(onFileWritten);

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A process may still hold a file for a moment; the temp folder is cleaned by the system.
        }
    }
}
