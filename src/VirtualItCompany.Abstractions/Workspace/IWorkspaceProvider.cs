namespace VirtualItCompany;

/// <summary>Gives each project its workspace.</summary>
public interface IWorkspaceProvider
{
    /// <summary>Gets the workspace of a project, creating its directory on first use.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The workspace.</returns>
    ValueTask<IProjectWorkspace> GetWorkspaceAsync(ProjectId projectId, CancellationToken cancellationToken = default);
}
