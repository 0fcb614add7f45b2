using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VirtualItCompany.Workspace;

/// <summary>Gives each project a workspace in its own folder under <see cref="WorkspaceOptions.RootDirectory"/>, on the local disk.</summary>
/// <remarks>Workspaces are created on first use and cached for the provider's lifetime. Disposing the provider stops every deployment of every workspace; so do the host stopping (<c>AddVirtualItCompany</c> registers that) and the process exiting.</remarks>
public sealed class LocalWorkspaceProvider : IWorkspaceProvider, IAsyncDisposable, IDisposable
{
    private readonly WorkspaceOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger? _logger;
    private readonly ConcurrentDictionary<ProjectId, Lazy<LocalProjectWorkspace>> _workspaces = new();
    private readonly EventHandler _onProcessExit;
    private volatile bool _disposed;
    private readonly CommandSandbox _sandbox;

    /// <summary>Creates the provider.</summary>
    /// <param name="options">The workspace options; validated here.</param>
    /// <param name="timeProvider">The clock for time-outs and durations.</param>
    /// <param name="logger">The logger, if any.</param>
    /// <exception cref="OptionsValidationException">The options are not valid; every problem is listed.</exception>
    public LocalWorkspaceProvider(IOptions<WorkspaceOptions> options, TimeProvider timeProvider, ILogger<LocalWorkspaceProvider>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options.Value;
        _options.Validate();
        _timeProvider = timeProvider;
        _logger = logger;
        _sandbox = new CommandSandbox(_options);
        // Deployed services run in process groups of their own: stop them when the process exits, even if the app never
        // disposes its host (a returning Main, SIGTERM), so that nothing the company started outlives it.
        _onProcessExit = (_, _) => Dispose();
        AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
    }

    /// <summary>Gets whether agents' commands and deployments run in the OS sandbox (bubblewrap) on this machine.</summary>
    /// <remarks>When <see langword="false"/>, they are refused unless <see cref="WorkspaceOptions.AllowUnsandboxedCommands"/> is set; <see cref="SandboxDescription"/> says why and how to install the sandbox.</remarks>
    public bool IsSandboxed => _sandbox.IsAvailable;

    /// <summary>Gets a sentence saying whether commands run sandboxed and, if not, why, and what to do about it.</summary>
    public string SandboxDescription => _sandbox.Description;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The project id cannot name a folder (only letters, digits, '-', '_' and '.' are accepted).</exception>
    /// <exception cref="ObjectDisposedException">The provider was disposed.</exception>
    public ValueTask<IProjectWorkspace> GetWorkspaceAsync(ProjectId projectId, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var id = projectId.Value;
        if (id.Length == 0 || id is "." or ".." || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"The project id '{id}' cannot name a workspace folder; only letters, digits, '-', '_' and '.' are accepted.", nameof(projectId));
        }

        var workspace = _workspaces.GetOrAdd(projectId, key => new Lazy<LocalProjectWorkspace>(
            () => new LocalProjectWorkspace(key, Path.Combine(Path.GetFullPath(_options.RootDirectory), key.Value), _options, _timeProvider, _logger),
            LazyThreadSafetyMode.PublicationOnly)).Value;
        return ValueTask.FromResult<IProjectWorkspace>(workspace);
    }

    /// <summary>Stops every deployment of every workspace.</summary>
    /// <returns>A task that completes when every deployment has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        foreach (var workspace in _workspaces.Values)
        {
            if (workspace.IsValueCreated)
            {
                await workspace.Value.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops every deployment of every workspace, for hosts that dispose synchronously (<c>ServiceProvider.Dispose()</c>).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
