namespace VirtualItCompany.Testing.Conformance.Workspace;

/// <summary>What a workspace adapter's test project implements once: how to open a fresh provider and what the adapter supports.</summary>
public abstract class WorkspaceFixture
{
    /// <summary>Gets whether the workspace runs allow-listed programs for real; when it does, <see cref="AllowedCommand"/> must succeed and a program off the allow-list is refused.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public virtual bool SupportsCommands => false;

    /// <summary>Gets a command on the allow-list that exits with code 0, run when <see cref="SupportsCommands"/> is set.</summary>
    /// <value>The default value is <c>git --version</c>.</value>
    public virtual CommandRequest AllowedCommand => new(["git", "--version"]);

    /// <summary>Gets whether commits go to a git repository in <see cref="IProjectWorkspace.RootPath"/> on disk (a <c>.git</c> folder the listings skip).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public virtual bool SupportsGit => false;

    /// <summary>Gets whether the files live on disk under <see cref="IProjectWorkspace.RootPath"/>, so the suites can check that nothing was written outside it.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public virtual bool StoresFilesOnDisk => false;

    /// <summary>Creates a fresh provider whose workspaces start empty.</summary>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <returns>The provider; disposed when the test ends.</returns>
    public abstract ValueTask<WorkspaceProviderUnderTest> CreateAsync(CancellationToken cancellationToken);
}
