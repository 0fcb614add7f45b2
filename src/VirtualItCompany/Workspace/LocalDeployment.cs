namespace VirtualItCompany.Workspace;

/// <summary>A project running as a local process for one environment.</summary>
/// <param name="Command">The running start command.</param>
/// <param name="BaseUrl">Where the deployment answers, ending in '/'.</param>
/// <param name="HealthUrl">The URL answering 200 when the deployment is healthy.</param>
/// <param name="ReleaseId">What was released (<see cref="DeploymentSpec.ReleaseId"/>), if said.</param>
internal sealed record LocalDeployment(RunningCommand Command, Uri BaseUrl, Uri HealthUrl, string? ReleaseId);
