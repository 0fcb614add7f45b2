namespace VirtualItCompany;

/// <summary>How to build and start a project as a local service.</summary>
/// <param name="BuildCommand">The build command as arguments, or empty for none.</param>
/// <param name="StartCommand">The start command as arguments; the process gets the port in the <c>PORT</c> environment variable and must listen on 127.0.0.1.</param>
/// <param name="HealthPath">The path answering 200 when healthy, such as <c>/health</c>.</param>
public sealed record DeploymentSpec(IReadOnlyList<string> BuildCommand, IReadOnlyList<string> StartCommand, string HealthPath);
