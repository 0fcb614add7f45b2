using Microsoft.Extensions.AI;
using Xunit;

namespace VirtualItCompany.Testing.Conformance.Workspace;

/// <summary>Files: write, read, list and search round-trip, directly and through the model's file tools.</summary>
/// <typeparam name="TFixture">The adapter's fixture.</typeparam>
[ConformanceSuite(ConformanceSuiteAttribute.Workspace)]
public abstract class WorkspaceFileConformanceTests<TFixture> : WorkspaceSuite<TFixture>
    where TFixture : WorkspaceFixture, new()
{
    /// <summary>A written file reads back exactly as written.</summary>
    /// <param name="content">The content.</param>
    /// <returns>A task that completes when the test ends.</returns>
    [Theory]
    [InlineData("")]
    [InlineData("one line")]
    [InlineData("two\nlines\n")]
    [InlineData("ünïcödé ✓ 日本")]
    public async Task A_written_file_reads_back_as_written(string content)
    {
        var workspace = await NewWorkspaceAsync();

        await workspace.WriteFileAsync("docs/file.txt", content, Ct);

        Assert.Equal(content, await workspace.ReadFileAsync("docs/file.txt", Ct));
    }

    /// <summary>Writing a file again replaces its content.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Writing_again_replaces_the_content()
    {
        var workspace = await NewWorkspaceAsync();
        await workspace.WriteFileAsync("a.txt", "a much longer first version", Ct);

        await workspace.WriteFileAsync("a.txt", "short", Ct);

        Assert.Equal("short", await workspace.ReadFileAsync("a.txt", Ct));
        Assert.Equal(["a.txt"], await workspace.ListFilesAsync(cancellationToken: Ct));
    }

    /// <summary>Listing returns the files below a folder as sorted relative paths with '/' separators; a folder's listing holds only its own files.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Listing_returns_sorted_relative_paths_below_the_folder()
    {
        var workspace = await NewWorkspaceAsync();
        Assert.Empty(await workspace.ListFilesAsync(cancellationToken: Ct));
        foreach (var path in new[] { "src/b.cs", "README.md", "src/sub/c.cs", "src/a.cs", "srcx/d.cs" })
        {
            await workspace.WriteFileAsync(path, path, Ct);
        }

        Assert.Equal(["README.md", "src/a.cs", "src/b.cs", "src/sub/c.cs", "srcx/d.cs"], await workspace.ListFilesAsync(cancellationToken: Ct));
        Assert.Equal(["src/a.cs", "src/b.cs", "src/sub/c.cs"], await workspace.ListFilesAsync("src", Ct));
        Assert.Equal(["src/sub/c.cs"], await workspace.ListFilesAsync("src/sub", Ct));
        Assert.Equal("src/sub/c.cs", await workspace.ReadFileAsync("src/sub/c.cs", Ct));
    }

    /// <summary>Reading a file that does not exist throws <see cref="FileNotFoundException"/>.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Reading_a_missing_file_throws_FileNotFoundException()
    {
        var workspace = await NewWorkspaceAsync();
        await workspace.WriteFileAsync("present.txt", "x", Ct);

        await Assert.ThrowsAsync<FileNotFoundException>(() => workspace.ReadFileAsync("absent.txt", Ct));
    }

    /// <summary>The file tools list, read, write and search the workspace's files, and report each written path.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task File_tools_list_read_write_and_search_the_workspace()
    {
        var workspace = await NewWorkspaceAsync();
        await workspace.WriteFileAsync("src/app.cs", "class App\n{\n    // TODO: greet the client\n}\n", Ct);
        var written = new List<string>();
        var tools = workspace.CreateFileTools(written.Add).OfType<AIFunction>().ToList();

        var write = await InvokeAsync(tools, "write", new() { ["path"] = "docs/readme.md", ["content"] = "Greet everyone." });
        var read = await InvokeAsync(tools, "read", new() { ["path"] = "docs/readme.md" });
        var list = await InvokeAsync(tools, "list", new() { ["path"] = "" });
        var search = await InvokeAsync(tools, "search", new() { ["text"] = "GREET" });

        Assert.Equal(["docs/readme.md"], written);
        Assert.Equal("Greet everyone.", await workspace.ReadFileAsync("docs/readme.md", Ct));
        Assert.Contains("docs/readme.md", write, StringComparison.Ordinal);
        Assert.Equal("Greet everyone.", read);
        Assert.Equal("docs/readme.md\nsrc/app.cs", list);
        Assert.Contains("src/app.cs:3:", search, StringComparison.Ordinal);
        Assert.Contains("docs/readme.md:1:", search, StringComparison.Ordinal);
    }

    private static async Task<string> InvokeAsync(List<AIFunction> tools, string verb, AIFunctionArguments arguments)
    {
        var tool = Assert.Single(tools, t => t.Name.Contains(verb, StringComparison.Ordinal));
        var result = await tool.InvokeAsync(arguments, Ct).ConfigureAwait(false);
        return result?.ToString() ?? "";
    }
}
