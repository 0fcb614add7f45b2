using Xunit;

namespace VirtualItCompany.Testing.Conformance.Workspace;

/// <summary>The provider: one workspace per project, the same one each time it is asked.</summary>
/// <typeparam name="TFixture">The adapter's fixture.</typeparam>
[ConformanceSuite(ConformanceSuiteAttribute.Workspace)]
public abstract class WorkspaceProviderConformanceTests<TFixture> : WorkspaceSuite<TFixture>
    where TFixture : WorkspaceFixture, new()
{
    /// <summary>Asking twice for a project's workspace gives the same workspace: same project, root and files.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task The_same_project_gets_the_same_workspace()
    {
        var provider = await GetProviderAsync();
        var id = ProjectId.New();
        var first = await provider.GetWorkspaceAsync(id, Ct);
        await first.WriteFileAsync("notes.md", "kept", Ct);

        var second = await provider.GetWorkspaceAsync(id, Ct);

        Assert.Equal(id, first.ProjectId);
        Assert.Equal(id, second.ProjectId);
        Assert.Equal(first.RootPath, second.RootPath);
        Assert.Equal("kept", await second.ReadFileAsync("notes.md", Ct));
    }

    /// <summary>Different projects get workspaces with different roots that share no file.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Different_projects_get_separate_workspaces()
    {
        var a = await NewWorkspaceAsync();
        var b = await NewWorkspaceAsync();

        await a.WriteFileAsync("only-in-a.txt", "a", Ct);

        Assert.NotEqual(a.ProjectId, b.ProjectId);
        Assert.NotEqual(a.RootPath, b.RootPath);
        Assert.Empty(await b.ListFilesAsync(cancellationToken: Ct));
        await Assert.ThrowsAsync<FileNotFoundException>(() => b.ReadFileAsync("only-in-a.txt", Ct));
    }
}
