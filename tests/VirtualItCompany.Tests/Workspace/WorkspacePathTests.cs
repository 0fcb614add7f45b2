namespace VirtualItCompany.Tests.Workspace;

public sealed class WorkspacePathTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("src/../../outside.txt")]
    [InlineData("src\\..\\..\\outside.txt")]
    public async Task Write_file_refuses_a_path_that_climbs_out_of_the_workspace(string path)
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();

        var ex = await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.WriteFileAsync(path, "x", Ct));

        Assert.Contains("'..'", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(scratch.Options.RootDirectory, "outside.txt")));
    }

    [Fact]
    public async Task Read_file_refuses_an_absolute_path()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();

        var ex = await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.ReadFileAsync("/etc/passwd", Ct));

        Assert.Contains("absolute", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_file_operation_refuses_a_symlink_that_leads_out_of_the_workspace()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        var outside = Directory.CreateDirectory(Path.Combine(scratch.Options.RootDirectory, "outside"));
        await File.WriteAllTextAsync(Path.Combine(outside.FullName, "secret.txt"), "secret", Ct);
        Directory.CreateSymbolicLink(Path.Combine(workspace.RootPath, "escape"), outside.FullName);

        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.ReadFileAsync("escape/secret.txt", Ct));
        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.WriteFileAsync("escape/new.txt", "x", Ct));
        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.ListFilesAsync("escape", Ct));
        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.RunAsync(new CommandRequest(["git", "status"]) { WorkingDirectory = "escape" }, Ct));
        Assert.False(File.Exists(Path.Combine(outside.FullName, "new.txt")));
    }

    [Fact]
    public async Task A_symlink_to_the_system_temporary_folder_is_refused_with_the_reason()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        Directory.CreateSymbolicLink(Path.Combine(workspace.RootPath, "tmp"), Path.GetTempPath());
        // A name no one else uses: the system temporary folder is shared (a CI run failed on someone's own dropped.txt there).
        string name = "dropped-" + Guid.NewGuid().ToString("N") + ".txt";

        var ex = await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.WriteFileAsync("tmp/" + name, "x", Ct));

        Assert.Contains("link", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), name)));
    }

    [Fact]
    public async Task A_symlink_is_not_followed_even_when_it_stays_inside_the_workspace()
    {
        // A link that points inside now can point outside a moment later: links are never followed, so no swap can race a check.
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        await workspace.WriteFileAsync("real/a.txt", "through the link", Ct);
        Directory.CreateSymbolicLink(Path.Combine(workspace.RootPath, "alias"), "real");

        var ex = await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.ReadFileAsync("alias/a.txt", Ct));
        Assert.Contains("link", ex.Message, StringComparison.Ordinal);
        Assert.Equal("through the link", await workspace.ReadFileAsync("real/a.txt", Ct));
    }

    [Fact]
    public async Task Writes_into_the_git_folder_are_refused()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();

        await Assert.ThrowsAsync<WorkspacePathException>(() => workspace.WriteFileAsync(".git/hooks/pre-commit", "#!/bin/sh", Ct));
    }

    [Fact]
    public async Task A_project_id_that_is_not_a_plain_folder_name_is_refused()
    {
        await using var scratch = new ScratchWorkspaces();

        await Assert.ThrowsAsync<ArgumentException>(async () => await scratch.Provider.GetWorkspaceAsync(new ProjectId("../evil"), Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await scratch.Provider.GetWorkspaceAsync(new ProjectId(".."), Ct));
    }
}
