using VirtualItCompany.Testing.Conformance.Workspace;
using VirtualItCompany.Tests.Workspace;

namespace VirtualItCompany.Tests.Conformance;

/// <summary>Runs the workspace conformance suites against <see cref="VirtualItCompany.Workspace.LocalWorkspaceProvider"/> over a fresh temporary folder.</summary>
public sealed class LocalWorkspaceFixture : WorkspaceFixture
{
    public override bool SupportsCommands => true;

    public override bool SupportsGit => true;

    public override bool StoresFilesOnDisk => true;

    public override ValueTask<WorkspaceProviderUnderTest> CreateAsync(CancellationToken cancellationToken)
    {
        var scratch = new ScratchWorkspaces();
        return ValueTask.FromResult(new WorkspaceProviderUnderTest(scratch.Provider) { OnDispose = scratch.DisposeAsync });
    }
}
