namespace VirtualItCompany.Tests.Workspace;

public sealed class WorkspaceFileTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Written_file_reads_back_and_is_listed_with_forward_slashes()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();

        await workspace.WriteFileAsync("src\\deep\\Program.cs", "Console.WriteLine(\"héllo ✓\");", Ct);
        await workspace.WriteFileAsync("README.md", "# readme", Ct);

        Assert.Equal("Console.WriteLine(\"héllo ✓\");", await workspace.ReadFileAsync("src/deep/Program.cs", Ct));
        Assert.Equal(["README.md", "src/deep/Program.cs"], await workspace.ListFilesAsync(cancellationToken: Ct));
        Assert.Equal(["src/deep/Program.cs"], await workspace.ListFilesAsync("src", Ct));
    }

    [Fact]
    public async Task Written_files_are_utf8_without_a_byte_order_mark()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();

        await workspace.WriteFileAsync("a.txt", "é", Ct);

        Assert.Equal(new byte[] { 0xC3, 0xA9 }, await File.ReadAllBytesAsync(Path.Combine(workspace.RootPath, "a.txt"), Ct));
    }

    [Fact]
    public async Task Listing_skips_build_output_and_the_git_folder_at_any_depth()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        foreach (var path in new[] { "bin/app.dll", "obj/project.assets.json", ".git/HEAD", "src/App/bin/Debug/app.dll", "src/App/obj/x.cs" })
        {
            var full = Path.Combine(workspace.RootPath, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, "x", Ct);
        }

        await workspace.WriteFileAsync("src/App/App.cs", "class App;", Ct);
        await workspace.WriteFileAsync("binder.txt", "kept", Ct);

        Assert.Equal(["binder.txt", "src/App/App.cs"], await workspace.ListFilesAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task Reading_a_missing_file_says_which_file_is_missing()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();

        var ex = await Assert.ThrowsAsync<FileNotFoundException>(() => workspace.ReadFileAsync("nope.txt", Ct));

        Assert.Contains("'nope.txt'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_provider_gives_one_workspace_per_project_in_its_own_folder()
    {
        await using var scratch = new ScratchWorkspaces();

        var first = await scratch.GetAsync("prj_a");
        var again = await scratch.GetAsync("prj_a");
        var other = await scratch.GetAsync("prj_b");

        Assert.Same(first, again);
        Assert.NotEqual(first.RootPath, other.RootPath);
        Assert.Equal(Path.Combine(Path.GetFullPath(scratch.Options.RootDirectory), "prj_a"), first.RootPath);
        Assert.True(Directory.Exists(other.RootPath));
    }
}
