namespace VirtualItCompany;

/// <summary>A commit expected a project version that is no longer current: someone else committed first. Reload and try again.</summary>
public sealed class ConcurrencyException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="expectedVersion">The version the commit expected.</param>
    /// <param name="actualVersion">The project's current version.</param>
    public ConcurrencyException(ProjectId projectId, long expectedVersion, long actualVersion)
        : base($"Project '{projectId}' is at version {actualVersion}, not {expectedVersion} as the commit expected; reload the project and try again.")
    {
        ProjectId = projectId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>Gets the project.</summary>
    public ProjectId ProjectId { get; }

    /// <summary>Gets the version the commit expected.</summary>
    public long ExpectedVersion { get; }

    /// <summary>Gets the project's current version.</summary>
    public long ActualVersion { get; }
}
