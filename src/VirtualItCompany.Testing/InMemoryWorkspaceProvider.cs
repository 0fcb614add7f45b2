using System.Collections.Concurrent;

namespace VirtualItCompany.Testing;

/// <summary>Workspaces in memory for tests: files live in a dictionary; commands, commits and deployments are recorded, never run.</summary>
public sealed class InMemoryWorkspaceProvider : IWorkspaceProvider
{
    private readonly ConcurrentDictionary<ProjectId, InMemoryWorkspace> _workspaces = new();

    /// <inheritdoc />
    public ValueTask<IProjectWorkspace> GetWorkspaceAsync(ProjectId projectId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IProjectWorkspace>(Get(projectId));

    /// <summary>Gets a project's in-memory workspace.</summary>
    /// <param name="projectId">The project.</param>
    /// <returns>The workspace.</returns>
    public InMemoryWorkspace Get(ProjectId projectId) => _workspaces.GetOrAdd(projectId, id => new InMemoryWorkspace(id));
}
