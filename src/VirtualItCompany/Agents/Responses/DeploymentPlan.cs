using System.ComponentModel;

namespace VirtualItCompany.Agents;

/// <summary>How DevOps builds and starts the project (structured output).</summary>
/// <param name="BuildCommand">The build command as arguments; empty for none.</param>
/// <param name="StartCommand">The start command as arguments.</param>
/// <param name="HealthPath">The path answering 200 when healthy.</param>
[Description("How to build and start a project as a local service from the repository root.")]
internal sealed record DeploymentPlan(
    [property: Description("The build command as an argument array, program first, no shell syntax; empty when nothing is built.")] IReadOnlyList<string> BuildCommand,
    [property: Description("The start command as an argument array, program first, no shell syntax. The process gets its port in the PORT environment variable and must listen on 127.0.0.1.")] IReadOnlyList<string> StartCommand,
    [property: Description("The HTTP path that answers 200 when the service is healthy, starting with '/'.")] string HealthPath);
