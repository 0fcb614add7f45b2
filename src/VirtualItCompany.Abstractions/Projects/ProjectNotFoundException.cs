namespace VirtualItCompany;

/// <summary>No project has the given id.</summary>
public sealed class ProjectNotFoundException : KeyNotFoundException
{
    /// <summary>Creates the exception for an id.</summary>
    /// <param name="projectId">The id that was not found.</param>
    public ProjectNotFoundException(ProjectId projectId)
        : base($"No project has the id '{projectId}'. List the projects to find the right id.")
    {
        ProjectId = projectId;
    }

    /// <summary>Gets the id that was not found.</summary>
    public ProjectId ProjectId { get; }
}
