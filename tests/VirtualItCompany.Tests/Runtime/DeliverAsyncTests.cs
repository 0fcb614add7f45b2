namespace VirtualItCompany.Tests.Runtime;

/// <summary>The one-call helper plays the client through delegates until the project ends.</summary>
public sealed class DeliverAsyncTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Questions_reviews_and_budget_are_handled_by_the_delegates_until_the_project_completes()
    {
        var manager = new ScriptedAgent(AgentRole.ProjectManager, async (ctx, n) =>
        {
            await ctx.ChatClient.GetResponseAsync([new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.User, "Read the brief.")], cancellationToken: Ct);
            if (ctx.WorkItem.Stage == LifecycleStage.RequirementsAnalysis)
            {
                return ctx.Project.ClientAnswers.Count == 0 ? AgentOutcome.NeedsClientInput("Which database?") : AgentOutcome.Completed("clear", LifecycleTrigger.RequirementsClear);
            }

            return ctx.WorkItem.Stage == LifecycleStage.ProjectPlanning
                ? AgentOutcome.Completed("planned", LifecycleTrigger.PlanReady, [new PlanCreated([new PlannedFeature("list", "Lists.")])])
                : AgentOutcome.NeedsClientInput("Staging is ready; approve?", ClientInputKind.Review);
        });
        await using var company = new TestCompany(b => b.AddAgent(manager));
        var asked = new List<string>();
        var seen = new List<ProjectEvent>();
        int reviews = 0;
        var client = new ClientHandlers
        {
            Answer = (q, ct) => { asked.Add(q.Question); return ValueTask.FromResult("PostgreSQL"); },
            Review = (r, ct) => ValueTask.FromResult(++reviews == 1 ? ReviewDecision.RequestChanges("Add a search box.") : ReviewDecision.Approve("Ship it.")),
            AddBudget = (b, ct) => ValueTask.FromResult(b.BudgetShortfall!.Value + 5m),
            OnEvent = seen.Add,
        };

        var done = await company.Company.DeliverAsync(TestCompany.Brief() with { Budget = 0.0001m }, client, Ct);

        Assert.Equal(ProjectStatus.Completed, done.Status);
        Assert.Equal(["Which database?"], asked);
        Assert.Equal(["PostgreSQL"], done.ClientAnswers);
        Assert.Equal(2, reviews);
        Assert.Contains(seen, e => e is ClientRequestedChanges { Changes: "Add a search box." });
        Assert.Contains(seen, e => e is BudgetIncreased);
        Assert.True(done.Brief.Budget > 5m);
        Assert.IsType<ProjectCompleted>(seen[^1]);
    }

    [Fact]
    public async Task Without_budget_from_the_client_the_project_is_returned_waiting_for_it()
    {
        await using var company = new TestCompany();

        var waiting = await company.Company.DeliverAsync(TestCompany.Brief() with { Budget = 0.0001m }, cancellationToken: Ct);

        Assert.Equal(ProjectStatus.WaitingForClient, waiting.Status);
        Assert.Equal(ClientInputKind.Budget, waiting.PendingInput!.Kind);
    }
}
