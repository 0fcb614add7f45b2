using VirtualItCompany.Agents;

namespace VirtualItCompany.Providers.Offline.Tests.Agents;

public sealed class CodeReviewerAgentTests : IAsyncLifetime
{
    private readonly TestWorkspace _workspace = new();
    private ProjectSnapshot _project = AgentRun.NewProject(new ProjectBrief
    {
        Title = "Todo API",
        Description = "A small todo service.",
        AcceptanceCriteria = ["Users can list todos", "Users can add a todo"],
    });

    public async ValueTask InitializeAsync()
    {
        _project = AgentRun.Apply(_project, await AgentRun.ExecuteAsync(new ProjectManagerAgent(AgentRun.Options()), _project, LifecycleStage.ProjectPlanning, _workspace));
        await AgentRun.ExecuteAsync(new DevOpsAgent(AgentRun.Options()), _project, LifecycleStage.SetupDevelopment, _workspace);
        foreach (var feature in _project.Features)
        {
            await AgentRun.ExecuteAsync(new DeveloperAgent(AgentRun.Options()), _project, LifecycleStage.FeatureDevelopment, _workspace, feature.Name);
        }
    }

    public ValueTask DisposeAsync() => _workspace.DisposeAsync();

    [Fact]
    public async Task Approves_code_that_implements_every_planned_feature()
    {
        var outcome = await AgentRun.ExecuteAsync(new CodeReviewerAgent(AgentRun.Options()), _project, LifecycleStage.CodeReview, _workspace);

        Assert.Equal(LifecycleTrigger.ReviewApproved, outcome.Trigger);
        var review = Assert.IsType<CodeReviewed>(Assert.Single(outcome.Events));
        Assert.True(review.Approved);
        Assert.Empty(review.Comments);
    }

    [Fact]
    public async Task Asks_for_changes_naming_a_feature_whose_file_is_missing()
    {
        File.Delete(Path.Combine(_workspace.RootPath, "Service/Features/AddTodoFeature.cs"));

        var outcome = await AgentRun.ExecuteAsync(new CodeReviewerAgent(AgentRun.Options()), _project, LifecycleStage.CodeReview, _workspace);

        Assert.Equal(LifecycleTrigger.ChangesNeeded, outcome.Trigger);
        var review = Assert.IsType<CodeReviewed>(Assert.Single(outcome.Events));
        Assert.False(review.Approved);
        Assert.Contains("\"Add todo\" is not implemented: add Service/Features/AddTodoFeature.cs", Assert.Single(review.Comments), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_developer_addresses_the_review_by_writing_the_missing_feature()
    {
        File.Delete(Path.Combine(_workspace.RootPath, "Service/Features/AddTodoFeature.cs"));
        var review = await AgentRun.ExecuteAsync(new CodeReviewerAgent(AgentRun.Options()), _project, LifecycleStage.CodeReview, _workspace);
        var project = AgentRun.Apply(_project, review);

        var outcome = await AgentRun.ExecuteAsync(new DeveloperAgent(AgentRun.Options()), project, LifecycleStage.FeatureDevelopment, _workspace, "Add todo");

        Assert.Equal(LifecycleTrigger.FeaturesComplete, outcome.Trigger);
        Assert.Contains("Service/Features/AddTodoFeature.cs", await _workspace.FilesAsync());
    }
}
