namespace VirtualItCompany;

/// <summary>An operation is not allowed in the project's current stage or status, e.g. approving a project that is not in client review.</summary>
public sealed class InvalidProjectOperationException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="stage">The project's current stage.</param>
    /// <param name="status">The project's current status.</param>
    /// <param name="message">What was refused and what to do instead.</param>
    public InvalidProjectOperationException(ProjectId projectId, LifecycleStage stage, ProjectStatus status, string message)
        : base(message)
    {
        ProjectId = projectId;
        Stage = stage;
        Status = status;
    }

    /// <summary>Gets the project.</summary>
    public ProjectId ProjectId { get; }

    /// <summary>Gets the project's stage when the operation was refused.</summary>
    public LifecycleStage Stage { get; }

    /// <summary>Gets the project's status when the operation was refused.</summary>
    public ProjectStatus Status { get; }
}
