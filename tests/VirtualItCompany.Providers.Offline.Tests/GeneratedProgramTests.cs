using System.Net;
using VirtualItCompany.Agents;

namespace VirtualItCompany.Providers.Offline.Tests;

/// <summary>The whole delivery through the built-in agents and the offline model, with real builds, test runs and deployments.</summary>
public sealed class GeneratedProgramTests : IAsyncLifetime
{
    private readonly TestWorkspace _workspace = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _workspace.DisposeAsync();

    [Fact]
    public async Task A_brief_with_awkward_text_becomes_a_service_that_builds_passes_its_tests_and_answers_health()
    {
        var brief = new ProjectBrief
        {
            Title = "Café \"Quotes\" \\ Ünïcode ✓",
            Description = "Line one has \"quotes\", a backslash \\ and {braces} $\"{x}\".\nLine two: 日本語 — emoji 🚀 and a tab\there.",
        };
        var project = AgentRun.NewProject(brief);
        var options = AgentRun.Options(o => o.MonitoringChecks = 2);
        var pm = new ProjectManagerAgent(options);
        var devOps = new DevOpsAgent(options);

        var question = await Run(pm, LifecycleStage.RequirementsAnalysis);
        Assert.Equal(AgentOutcomeKind.NeedsClientInput, question.Kind);
        project = project with { ClientAnswers = ["Users can list \"todo\" items.\nUsers can add an item with a C:\\path", "日本 names work!"] };

        await Run(pm, LifecycleStage.RequirementsAnalysis, LifecycleTrigger.RequirementsClear);
        await Run(pm, LifecycleStage.ProjectPlanning, LifecycleTrigger.PlanReady);
        Assert.Equal(3, project.Features.Count);
        await Run(devOps, LifecycleStage.SetupDevelopment, LifecycleTrigger.SetupComplete);
        await Run(new DesignerAgent(options), LifecycleStage.SetupDevelopment, LifecycleTrigger.SetupComplete);
        foreach (var feature in project.Features)
        {
            await Run(new DeveloperAgent(options), LifecycleStage.FeatureDevelopment, LifecycleTrigger.FeaturesComplete, feature.Name);
        }

        await Run(new CodeReviewerAgent(options), LifecycleStage.CodeReview, LifecycleTrigger.ReviewApproved);

        var testing = await Run(new TesterAgent(options), LifecycleStage.Testing);
        var run = Assert.IsType<TestsRun>(Assert.Single(testing.Events));
        Assert.True(testing.Trigger == LifecycleTrigger.TestsPassed, run.OutputTail);
        Assert.Equal(["dotnet", "run", "--project", "Tests/Tests.csproj"], run.Command);
        Assert.Equal((0, 8, 0), (run.ExitCode, run.Passed, run.Failed)); // 3 unit checks, health, index, one per feature
        Assert.Contains("8 passed, 0 failed", run.OutputTail, StringComparison.Ordinal);

        var staging = await Run(devOps, LifecycleStage.StagingDeployment, LifecycleTrigger.StagingDeployed);
        var stagingUrl = Assert.IsType<Deployed>(staging.Events[0]).Url;
        Assert.Equal(200, Assert.IsType<HealthChecked>(staging.Events[1]).StatusCode);
        using (var http = new HttpClient())
        {
            using var health = await http.GetAsync(new Uri(stagingUrl, "/health"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            string index = await http.GetStringAsync(stagingUrl, TestContext.Current.CancellationToken);
            Assert.Contains("Caf", index, StringComparison.Ordinal);
        }

        var review = await Run(pm, LifecycleStage.ClientReview);
        Assert.Equal(ClientInputKind.Review, review.InputKind);

        await Run(devOps, LifecycleStage.ProductionDeployment, LifecycleTrigger.ProductionDeployed);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _workspace.CheckHealthAsync("staging", TestContext.Current.CancellationToken)); // stopped
        var monitoring = await Run(devOps, LifecycleStage.Monitoring, LifecycleTrigger.ProjectComplete);
        Assert.Equal(2, monitoring.Events.Count);

        async Task<AgentOutcome> Run(IAgent agent, LifecycleStage stage, LifecycleTrigger? expected = null, string? subject = null)
        {
            var outcome = await AgentRun.ExecuteAsync(agent, project, stage, _workspace, subject);
            if (expected is { } trigger)
            {
                Assert.True(outcome.Kind == AgentOutcomeKind.Completed && outcome.Trigger == trigger, $"{agent.Role} in {stage}: {outcome.Kind} {outcome.Trigger}: {outcome.Summary}");
            }

            project = AgentRun.Apply(project, outcome);
            return outcome;
        }
    }
}
