using VirtualItCompany.Testing;
using VirtualItCompany.Testing.Conformance.Workspace;

namespace VirtualItCompany.Tests.Conformance;

/// <summary>Runs the workspace conformance suites against <see cref="InMemoryWorkspaceProvider"/>: files in memory, nothing run.</summary>
public sealed class InMemoryWorkspaceFixture : WorkspaceFixture
{
    public override ValueTask<WorkspaceProviderUnderTest> CreateAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new WorkspaceProviderUnderTest(new InMemoryWorkspaceProvider()));
}
