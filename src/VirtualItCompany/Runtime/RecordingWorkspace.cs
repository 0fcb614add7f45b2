using Microsoft.Extensions.AI;

namespace VirtualItCompany.Runtime;

/// <summary>Passes every call to the project's workspace and records which files the work item wrote.</summary>
internal sealed class RecordingWorkspace : IProjectWorkspace
{
    private readonly IProjectWorkspace _inner;
    private readonly Lock _gate = new();
    private readonly SortedSet<string> _written = new(StringComparer.Ordinal);

    private readonly VirtualItCompany.Security.SecretRedactor _redactor;

    public RecordingWorkspace(IProjectWorkspace inner, VirtualItCompany.Security.SecretRedactor? redactor = null)
    {
        _inner = inner;
        _redactor = redactor ?? VirtualItCompany.Security.SecretRedactor.PatternsOnly;
    }

    public ProjectId ProjectId => _inner.ProjectId;

    public string RootPath => _inner.RootPath;

    public IReadOnlyList<string> WrittenFiles
    {
        get
        {
            lock (_gate)
            {
                return [.. _written];
            }
        }
    }

    public Task<string> ReadFileAsync(string path, CancellationToken cancellationToken = default) => _inner.ReadFileAsync(path, cancellationToken);

    /// <remarks>Secrets in the content or the path are replaced before anything reaches the disk (and so the commit and the artifact store).</remarks>
    public async Task WriteFileAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(content);
        path = _redactor.RedactPath(path);
        await _inner.WriteFileAsync(path, _redactor.Redact(content), cancellationToken).ConfigureAwait(false);
        Written(path);
    }

    public Task<IReadOnlyList<string>> ListFilesAsync(string path = "", CancellationToken cancellationToken = default) => _inner.ListFilesAsync(path, cancellationToken);

    /// <remarks>Secrets a command prints (a key in a file it reads, a token a tool echoes) are replaced in its output, which the agent and its events see.</remarks>
    public async Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken = default)
    {
        var result = await _inner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        var output = _redactor.Redact(result.Output);
        return ReferenceEquals(output, result.Output) ? result : result with { Output = output };
    }

    public Task<string?> CommitAsync(string message, IReadOnlyCollection<string>? paths = null, CancellationToken cancellationToken = default) =>
        _inner.CommitAsync(_redactor.Redact(message ?? throw new ArgumentNullException(nameof(message))), paths, cancellationToken);

    public Task<Uri> DeployAsync(string environment, DeploymentSpec spec, CancellationToken cancellationToken = default) => _inner.DeployAsync(environment, spec, cancellationToken);

    public Task<HealthChecked> CheckHealthAsync(string environment, CancellationToken cancellationToken = default) => _inner.CheckHealthAsync(environment, cancellationToken);

    public Task StopAsync(string environment, CancellationToken cancellationToken = default) => _inner.StopAsync(environment, cancellationToken);

    public IList<AITool> CreateFileTools(Action<string>? onFileWritten = null) =>
        _inner.CreateFileTools(path =>
        {
            Written(path);
            onFileWritten?.Invoke(path);
        });

    private void Written(string path)
    {
        lock (_gate)
        {
            _written.Add(path.Replace('\\', '/'));
        }
    }
}
