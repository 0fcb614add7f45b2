using Xunit;

namespace VirtualItCompany.Testing.Conformance.Workspace;

/// <summary>Confinement: every path is relative to the workspace root; <c>..</c> and absolute paths are refused with <see cref="WorkspacePathException"/> and nothing is written outside.</summary>
/// <typeparam name="TFixture">The adapter's fixture.</typeparam>
[ConformanceSuite(ConformanceSuiteAttribute.Workspace)]
public abstract class WorkspacePathConformanceTests<TFixture> : WorkspaceSuite<TFixture>
    where TFixture : WorkspaceFixture, new()
{
    private const string Absolute = "{absolute}";

    /// <summary>Every file operation refuses a path that leaves the workspace, and nothing is written outside.</summary>
    /// <param name="path">The path; <c>{absolute}</c> stands for an absolute path in the system's temporary folder.</param>
    /// <returns>A task that completes when the test ends.</returns>
    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("src/../../outside.txt")]
    [InlineData("src\\..\\..\\outside.txt")]
    [InlineData(Absolute)]
    public async Task Paths_that_leave_the_workspace_are_refused_and_nothing_is_written_outside(string path)
    {
        var workspace = await NewWorkspaceAsync();
        await workspace.WriteFileAsync("inside.txt", "inside", Ct);
        if (path == Absolute)
        {
            path = Path.Combine(Path.GetTempPath(), $"vic-conformance-{Guid.NewGuid():N}.txt");
        }

        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.WriteFileAsync(path, "escaped", Ct));
        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.ReadFileAsync(path, Ct));
        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.ListFilesAsync(path, Ct));
        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.CommitAsync("Escape", [path], Ct));

        Assert.Equal(["inside.txt"], await workspace.ListFilesAsync(cancellationToken: Ct));
        if (Fixture.StoresFilesOnDisk)
        {
            var target = Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(workspace.RootPath, path.Replace('\\', '/')));
            Assert.False(File.Exists(target), $"'{target}' was written outside the workspace.");
        }
    }

    /// <summary>A path through <c>..</c> into another project's workspace is refused; the other workspace is untouched.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_path_into_another_projects_workspace_is_refused()
    {
        var provider = await GetProviderAsync();
        var mine = await provider.GetWorkspaceAsync(ProjectId.New(), Ct);
        var other = await provider.GetWorkspaceAsync(ProjectId.New(), Ct);
        await other.WriteFileAsync("secret.txt", "secret", Ct);

        await Assert.ThrowsAsync<WorkspacePathException>(() => mine.WriteFileAsync($"../{other.ProjectId}/secret.txt", "overwritten", Ct));
        await Assert.ThrowsAsync<WorkspacePathException>(() => mine.ReadFileAsync($"../{other.ProjectId}/secret.txt", Ct));

        Assert.Equal("secret", await other.ReadFileAsync("secret.txt", Ct));
        Assert.Equal(["secret.txt"], await other.ListFilesAsync(cancellationToken: Ct));
        Assert.Empty(await mine.ListFilesAsync(cancellationToken: Ct));
    }

    /// <summary>Harmless spellings of a path inside the workspace ('.' segments, doubled or back slashes) name the same file.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Paths_are_normalised_to_one_file()
    {
        var workspace = await NewWorkspaceAsync();

        await workspace.WriteFileAsync("./src//app.cs", "v1", Ct);
        await workspace.WriteFileAsync("src\\app.cs", "v2", Ct);

        Assert.Equal(["src/app.cs"], await workspace.ListFilesAsync(cancellationToken: Ct));
        Assert.Equal("v2", await workspace.ReadFileAsync("src/./app.cs", Ct));
    }

    /// <summary>A command's working directory is confined like any path; when the workspace runs commands, an allow-listed one runs and another program is refused.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Commands_run_only_inside_the_workspace_and_only_when_allowed()
    {
        var workspace = await NewWorkspaceAsync();

        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.RunAsync(Fixture.AllowedCommand with { WorkingDirectory = ".." }, Ct));

        if (Fixture.SupportsCommands)
        {
            var result = await workspace.RunAsync(Fixture.AllowedCommand, Ct);
            Assert.True(result.Succeeded, $"The allowed command failed with exit code {result.ExitCode}: {result.Output}");
            await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.RunAsync(new CommandRequest(["vic-conformance-not-allowed", "--version"]), Ct));
        }
    }
}
