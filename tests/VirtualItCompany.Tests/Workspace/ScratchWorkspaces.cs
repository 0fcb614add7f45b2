using Microsoft.Extensions.Options;
using VirtualItCompany.Workspace;

namespace VirtualItCompany.Tests.Workspace;

/// <summary>A provider over a fresh temporary root, deleted with everything in it when disposed.</summary>
internal sealed class ScratchWorkspaces : IAsyncDisposable
{
    public ScratchWorkspaces(Action<WorkspaceOptions>? configure = null)
    {
        Options = new WorkspaceOptions
        {
            RootDirectory = Path.Combine(Path.GetTempPath(), "vic-tests", Guid.NewGuid().ToString("N")),
        };
        configure?.Invoke(Options);
        Provider = new LocalWorkspaceProvider(Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System);
    }

    public WorkspaceOptions Options { get; }

    public LocalWorkspaceProvider Provider { get; }

    /// <summary>Allows the shell tools the process tests need besides dotnet and git.</summary>
    public static void AllowShell(WorkspaceOptions options)
    {
        options.AllowedCommands.Add("sh");
        options.AllowedCommands.Add("sleep");
    }

    public async Task<IProjectWorkspace> GetAsync(string projectId = "prj_test") =>
        await Provider.GetWorkspaceAsync(new ProjectId(projectId), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        try
        {
            Directory.Delete(Options.RootDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system's temporary-folder clean-up.
        }
        catch (UnauthorizedAccessException)
        {
            // Left for the system's temporary-folder clean-up.
        }
    }
}
