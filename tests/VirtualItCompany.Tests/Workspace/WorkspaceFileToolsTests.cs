using Microsoft.Extensions.AI;

namespace VirtualItCompany.Tests.Workspace;

public sealed class WorkspaceFileToolsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_tools_are_named_for_the_model_and_described()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();

        var tools = workspace.CreateFileTools().OfType<AIFunction>().ToArray();

        Assert.Equal(["list_files", "read_file", "write_file", "search_files", "delete_file", "move_file"], tools.Select(t => t.Name));
        Assert.All(tools, t => Assert.False(string.IsNullOrWhiteSpace(t.Description)));
        var write = tools.Single(t => t.Name == "write_file").JsonSchema.ToString();
        Assert.Contains("\"path\"", write, StringComparison.Ordinal);
        Assert.Contains("\"content\"", write, StringComparison.Ordinal);
        Assert.DoesNotContain("cancellationToken", write, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_can_write_list_read_and_search_files_through_the_tools()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        var written = new List<string>();
        var tools = workspace.CreateFileTools(written.Add).OfType<AIFunction>().ToDictionary(t => t.Name);

        await tools["write_file"].InvokeAsync(new() { ["path"] = "src\\App.cs", ["content"] = "class App\n{\n    // TODO: greet\n}\n" }, Ct);
        await tools["write_file"].InvokeAsync(new() { ["path"] = "README.md", ["content"] = "No todo here? Todo!" }, Ct);

        Assert.Equal(["src/App.cs", "README.md"], written);
        Assert.Equal("README.md\nsrc/App.cs", await InvokeAsync(tools["list_files"], new() { ["path"] = "" }));
        Assert.Equal("class App\n{\n    // TODO: greet\n}\n", await InvokeAsync(tools["read_file"], new() { ["path"] = "src/App.cs" }));
        Assert.Equal("README.md:1: No todo here? Todo!\nsrc/App.cs:3: // TODO: greet", await InvokeAsync(tools["search_files"], new() { ["text"] = "todo" }));
    }

    [Fact]
    public async Task List_files_lists_the_whole_workspace_when_the_model_gives_no_path()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        await workspace.WriteFileAsync("a.txt", "a", Ct);
        var list = workspace.CreateFileTools().OfType<AIFunction>().Single(t => t.Name == "list_files");

        Assert.Equal("a.txt", await InvokeAsync(list, []));
    }

    [Fact]
    public async Task A_path_out_of_the_workspace_surfaces_as_an_exception_and_nothing_is_reported_written()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        var written = new List<string>();
        var tools = workspace.CreateFileTools(written.Add).OfType<AIFunction>().ToDictionary(t => t.Name);

        await Assert.ThrowsAsync<WorkspacePathException>(async () =>
            await tools["write_file"].InvokeAsync(new() { ["path"] = "../escape.txt", ["content"] = "x" }, Ct));
        await Assert.ThrowsAsync<WorkspacePathException>(async () =>
            await tools["read_file"].InvokeAsync(new() { ["path"] = "/etc/passwd" }, Ct));

        Assert.Empty(written);
    }

    [Fact]
    public async Task Search_skips_a_file_linked_out_of_the_workspace()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        var secret = Path.Combine(scratch.Options.RootDirectory, "secret.txt");
        await File.WriteAllTextAsync(secret, "password = hunter2", Ct);
        File.CreateSymbolicLink(Path.Combine(workspace.RootPath, "linked.txt"), secret);
        await workspace.WriteFileAsync("config.txt", "password = (from the vault)", Ct);
        var search = workspace.CreateFileTools().OfType<AIFunction>().Single(t => t.Name == "search_files");

        Assert.Equal("config.txt:1: password = (from the vault)", await InvokeAsync(search, new() { ["text"] = "password" }));
    }

    private static async Task<string?> InvokeAsync(AIFunction function, AIFunctionArguments arguments) =>
        (await function.InvokeAsync(arguments, Ct))?.ToString();
}
