using Microsoft.Extensions.AI;
using VirtualItCompany.Agents;

namespace VirtualItCompany.Providers.Offline.Tests.Agents;

public sealed class ProjectManagerAgentTests : IAsyncLifetime
{
    private readonly TestWorkspace _workspace = new();
    private readonly ProjectManagerAgent _agent = new(AgentRun.Options());

    private static ProjectBrief Brief(params string[] criteria) =>
        new() { Title = "Todo API", Description = "A small todo service for a team.", AcceptanceCriteria = criteria };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _workspace.DisposeAsync();

    [Fact]
    public async Task Asks_the_client_a_question_when_the_brief_has_no_criteria()
    {
        var project = AgentRun.NewProject(Brief());

        var outcome = await AgentRun.ExecuteAsync(_agent, project, LifecycleStage.RequirementsAnalysis, _workspace);

        Assert.Equal(AgentOutcomeKind.NeedsClientInput, outcome.Kind);
        Assert.Equal(ClientInputKind.Clarification, outcome.InputKind);
        Assert.Contains("Which capabilities must the first version of \"Todo API\" have?", outcome.Summary, StringComparison.Ordinal);
        Assert.Empty(await _workspace.FilesAsync());
    }

    [Fact]
    public async Task Captures_the_requirements_once_the_client_answered()
    {
        var project = AgentRun.NewProject(Brief()) with { ClientAnswers = ["Users can list todos.\nUsers can add a todo."] };

        var outcome = await AgentRun.ExecuteAsync(_agent, project, LifecycleStage.RequirementsAnalysis, _workspace);

        Assert.Equal(AgentOutcomeKind.Completed, outcome.Kind);
        Assert.Equal(LifecycleTrigger.RequirementsClear, outcome.Trigger);
        var captured = Assert.IsType<RequirementsCaptured>(Assert.Single(outcome.Events));
        Assert.Equal(["Users can list todos.", "Users can add a todo."], captured.AcceptanceCriteria);
        Assert.Contains("Users can add a todo.", await _workspace.ReadAsync("docs/requirements.md"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plans_one_feature_per_acceptance_criterion()
    {
        var project = AgentRun.NewProject(Brief("Users can list todos", "Users can add a todo", "Users can delete a todo"));

        var outcome = await AgentRun.ExecuteAsync(_agent, project, LifecycleStage.ProjectPlanning, _workspace);

        Assert.Equal(LifecycleTrigger.PlanReady, outcome.Trigger);
        var plan = Assert.IsType<PlanCreated>(Assert.Single(outcome.Events));
        Assert.Equal(["List todos", "Add todo", "Delete todo"], plan.Features.Select(f => f.Name));
        Assert.Equal(project.AcceptanceCriteria, plan.Features.Select(f => f.Description));
        Assert.Contains("## Delete todo", await _workspace.ReadAsync("docs/plan.md"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asks_the_client_to_review_staging_with_a_note()
    {
        var project = AgentRun.NewProject(Brief("Users can list todos")) with
        {
            Deployments = System.Collections.Immutable.ImmutableDictionary<string, Uri>.Empty.Add("staging", new Uri("http://127.0.0.1:5000/")),
        };

        var outcome = await AgentRun.ExecuteAsync(_agent, project, LifecycleStage.ClientReview, _workspace);

        Assert.Equal(AgentOutcomeKind.NeedsClientInput, outcome.Kind);
        Assert.Equal(ClientInputKind.Review, outcome.InputKind);
        Assert.Contains("http://127.0.0.1:5000/", outcome.Summary, StringComparison.Ordinal);
        Assert.Contains("Offline model, no AI", outcome.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_that_is_not_valid_structured_output_fails_and_may_be_retried()
    {
        using var garbled = new CannedChatClient("Sure! Here are the requirements: lots of them.");

        var outcome = await AgentRun.ExecuteAsync(_agent, AgentRun.NewProject(Brief("x")), LifecycleStage.RequirementsAnalysis, _workspace, chatClient: garbled);

        Assert.Equal(AgentOutcomeKind.Failed, outcome.Kind);
        Assert.True(outcome.Retryable);
        Assert.Contains("not a valid Requirements", outcome.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plan_with_duplicate_names_fails_and_may_be_retried()
    {
        using var duplicates = new CannedChatClient("""{"features":[{"name":"List","description":"a"},{"name":"list","description":"b"}]}""");

        var outcome = await AgentRun.ExecuteAsync(_agent, AgentRun.NewProject(Brief("x")), LifecycleStage.ProjectPlanning, _workspace, chatClient: duplicates);

        Assert.Equal(AgentOutcomeKind.Failed, outcome.Kind);
        Assert.True(outcome.Retryable);
        Assert.Contains("feature names are used twice: List", outcome.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stage_it_does_not_handle_fails_for_good()
    {
        var outcome = await AgentRun.ExecuteAsync(_agent, AgentRun.NewProject(Brief("x")), LifecycleStage.Testing, _workspace);

        Assert.Equal(AgentOutcomeKind.Failed, outcome.Kind);
        Assert.False(outcome.Retryable);
        Assert.Contains("does not work in the Testing stage", outcome.Summary, StringComparison.Ordinal);
    }
}

/// <summary>A model that always gives the same text.</summary>
internal sealed class CannedChatClient(string text) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)));

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
