namespace VirtualItCompany;

/// <summary>How to build and start a project as a local service.</summary>
/// <param name="BuildCommand">The build command as arguments, or empty for none.</param>
/// <param name="StartCommand">The start command as arguments; the process gets the port in the <c>PORT</c> environment variable and must listen on 127.0.0.1.</param>
/// <param name="HealthPath">The path answering 200 when healthy, such as <c>/health</c>.</param>
public sealed record DeploymentSpec(IReadOnlyList<string> BuildCommand, IReadOnlyList<string> StartCommand, string HealthPath)
{
    /// <summary>
    /// Gets what is being released, or <see langword="null"/> when every call deploys afresh. A deployment of an
    /// environment that already runs this release and answers its health check is not repeated: the running one's URL is
    /// returned without building or restarting anything, so a work item delivered again after a crash does not deploy twice.
    /// The built-in DevOps agent uses the work item's id.
    /// </summary>
    public string? ReleaseId { get; init; }
}
