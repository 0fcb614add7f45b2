using System.ComponentModel;

namespace VirtualItCompany.Agents;

/// <summary>How the tester runs the tests (structured output).</summary>
/// <param name="Arguments">The command as arguments.</param>
[Description("The command that runs a project's tests.")]
internal sealed record TestCommand(
    [property: Description("The command as an argument array, program first, no shell syntax; it runs from the repository root without network access.")] IReadOnlyList<string> Arguments);
