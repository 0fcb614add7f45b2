using Xunit;

namespace VirtualItCompany.Testing.Conformance.Workspace;

/// <summary>Commits: an id for each recorded commit, <see langword="null"/> when nothing changed, an empty path list records a commit anyway.</summary>
/// <typeparam name="TFixture">The adapter's fixture.</typeparam>
[ConformanceSuite(ConformanceSuiteAttribute.Workspace)]
public abstract class WorkspaceCommitConformanceTests<TFixture> : WorkspaceSuite<TFixture>
    where TFixture : WorkspaceFixture, new()
{
    /// <summary>Committing changes returns an id; committing again with nothing changed returns <see langword="null"/>.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_commit_of_changes_returns_an_id_and_a_second_one_without_changes_returns_null()
    {
        var workspace = await NewWorkspaceAsync();
        await workspace.WriteFileAsync("src/app.cs", "class App;", Ct);

        var id = await workspace.CommitAsync("Add the app", cancellationToken: Ct);

        Assert.False(string.IsNullOrWhiteSpace(id), "A commit of changes returns its id.");
        Assert.Null(await workspace.CommitAsync("Nothing changed", cancellationToken: Ct));
        Assert.Equal(["src/app.cs"], await workspace.ListFilesAsync(cancellationToken: Ct));
        if (Fixture.SupportsGit)
        {
            Assert.True(Directory.Exists(Path.Combine(workspace.RootPath, ".git")), "The commit went to a git repository in the workspace root.");
        }
    }

    /// <summary>Committing a workspace where nothing was ever written returns <see langword="null"/>.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_commit_of_an_untouched_workspace_returns_null()
    {
        var workspace = await NewWorkspaceAsync();

        Assert.Null(await workspace.CommitAsync("Nothing yet", cancellationToken: Ct));
        Assert.Empty(await workspace.ListFilesAsync(cancellationToken: Ct));
    }

    /// <summary>An empty path list records a commit even when nothing changed, each with its own id.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task An_empty_path_list_records_a_commit_even_with_nothing_changed()
    {
        var workspace = await NewWorkspaceAsync();

        var first = await workspace.CommitAsync("Reviewed: nothing to change", [], Ct);
        var second = await workspace.CommitAsync("Reviewed again", [], Ct);

        Assert.False(string.IsNullOrWhiteSpace(first), "An empty path list records a commit.");
        Assert.False(string.IsNullOrWhiteSpace(second), "An empty path list records a commit.");
        Assert.NotEqual(first, second);
    }

    /// <summary>A commit of listed paths leaves the other changes for a later commit.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_commit_of_listed_paths_leaves_other_changes_for_later()
    {
        var workspace = await NewWorkspaceAsync();
        await workspace.WriteFileAsync("a.txt", "a", Ct);
        await workspace.WriteFileAsync("b.txt", "b", Ct);

        var onlyA = await workspace.CommitAsync("Add a", ["a.txt"], Ct);
        var rest = await workspace.CommitAsync("Add the rest", cancellationToken: Ct);

        Assert.NotNull(onlyA);
        Assert.NotNull(rest);
        Assert.NotEqual(onlyA, rest);
        Assert.Null(await workspace.CommitAsync("Nothing left", cancellationToken: Ct));
    }
}
