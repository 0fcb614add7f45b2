using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VirtualItCompany.Agents;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Tests.Chat.StructuredOutput;

/// <summary>An agent's structured call repairs a malformed answer a bounded number of times, then fails with the reason; it never crashes or half-writes.</summary>
public sealed class StructuredAnswerRepairTests
{
    private const string Valid = "{\"summary\": \"A layered service.\", \"guidelines\": [\"Keep handlers small.\"]}";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(AgentOutcome Outcome, InMemoryWorkspace Workspace)> DesignAsync(IChatClient model, int repairs = 2)
    {
        var agent = new DesignerAgent(Options.Create(new AgentOptions { StructuredAnswerRepairs = repairs }));
        var project = ProjectSnapshot.Create(new ProjectCreated(
            new ProjectBrief { Title = "Shop", Description = "A small shop.", AcceptanceCriteria = ["sells"], Budget = 1m },
            LifecycleStage.RequirementsAnalysis) { ProjectId = ProjectId.New() });
        var workspace = new InMemoryWorkspace(project.Id);
        var outcome = await agent.ExecuteAsync(
            new AgentContext
            {
                WorkItem = WorkItem.Create(project.Id, agent.Role, LifecycleStage.SetupDevelopment, 1, DateTimeOffset.UnixEpoch),
                Project = project,
                ChatClient = model,
                Workspace = workspace,
                TimeProvider = TimeProvider.System,
                Logger = NullLogger.Instance,
                Services = new ServiceCollection().BuildServiceProvider(),
            },
            Ct);
        return (outcome, workspace);
    }

    [Fact]
    public async Task A_chatty_fenced_answer_with_a_trailing_comma_is_used_without_a_repair()
    {
        var model = new ScriptedChatClient("Of course! Here are the notes:\n```json\n{\"summary\": \"A layered service.\", \"guidelines\": [\"Keep handlers small.\",],}\n```\nHappy building!");

        var (outcome, workspace) = await DesignAsync(model);

        Assert.Equal(AgentOutcomeKind.Completed, outcome.Kind);
        Assert.Single(model.Calls);
        Assert.Contains("Keep handlers small.", workspace.Files[DesignerAgent.DesignNotesPath], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_answer_is_shown_back_with_what_is_wrong_and_the_repaired_answer_is_used()
    {
        var model = new ScriptedChatClient("Sure: {\"summary\": \"A layered service.\", \"guidelines\": [", Valid);

        var (outcome, _) = await DesignAsync(model);

        Assert.Equal(AgentOutcomeKind.Completed, outcome.Kind);
        var calls = model.Calls.ToList();
        Assert.Equal(2, calls.Count);
        var repair = calls[1].Messages;
        Assert.Equal(4, repair.Count);
        Assert.Equal(ChatRole.Assistant, repair[2].Role);
        Assert.Equal("Sure: {\"summary\": \"A layered service.\", \"guidelines\": [", repair[2].Text);
        Assert.Contains("no complete JSON object", repair[3].Text, StringComparison.Ordinal);
        // The repair asks for the same schema again.
        Assert.IsType<ChatResponseFormatJson>(calls[1].Options!.ResponseFormat);
    }

    [Fact]
    public async Task A_missing_property_is_not_guessed_but_repaired()
    {
        var model = new ScriptedChatClient("{\"summary\": \"A layered service.\"}", Valid);

        var (outcome, _) = await DesignAsync(model);

        Assert.Equal(AgentOutcomeKind.Completed, outcome.Kind);
        var repair = model.Calls.ToList()[1].Messages;
        Assert.Contains("guidelines", repair[3].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task After_the_configured_repairs_the_item_fails_with_the_reason_and_writes_nothing(int repairs)
    {
        var model = new ScriptedChatClient("First: {\"summary\": \"a\", \"guidelines\": [\"x\"]} or maybe {\"summary\": \"b\", \"guidelines\": [\"y\"]}");

        var (outcome, workspace) = await DesignAsync(model, repairs);

        Assert.Equal(AgentOutcomeKind.Failed, outcome.Kind);
        Assert.True(outcome.Retryable);
        Assert.Equal(repairs + 1, model.Calls.Count);
        Assert.Contains("2 different JSON objects", outcome.Summary, StringComparison.Ordinal);
        Assert.Contains("First:", outcome.Summary, StringComparison.Ordinal);
        Assert.Empty(workspace.Files);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void Repairs_out_of_range_are_refused_at_start(int repairs)
    {
        var problems = new AgentOptions { StructuredAnswerRepairs = repairs }.GetProblems();
        Assert.Contains(problems, p => p.Contains("StructuredAnswerRepairs", StringComparison.Ordinal));
    }
}
