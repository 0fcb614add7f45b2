using VirtualItCompany.Agents;

namespace VirtualItCompany.Providers.Offline.Tests.Agents;

public sealed class DevOpsAgentTests : IAsyncLifetime
{
    private readonly TestWorkspace _workspace = new();
    private readonly ProjectSnapshot _project = AgentRun.NewProject(new ProjectBrief { Title = "Todo API", Description = "Todos." });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _workspace.DisposeAsync();

    [Fact]
    public async Task Scaffolds_an_isolated_service_repository()
    {
        var outcome = await AgentRun.ExecuteAsync(new DevOpsAgent(AgentRun.Options()), _project, LifecycleStage.SetupDevelopment, _workspace);

        Assert.Equal(LifecycleTrigger.SetupComplete, outcome.Trigger);
        Assert.Equal(
            [".gitignore", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "README.md", "Service/IFeature.cs", "Service/Program.cs", "Service/Service.csproj"],
            await _workspace.FilesAsync());
        Assert.StartsWith("# Todo API", await _workspace.ReadAsync("README.md"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_deployment_fails_with_the_reason_and_may_be_retried()
    {
        // Nothing was scaffolded, so the build fails.
        var outcome = await AgentRun.ExecuteAsync(new DevOpsAgent(AgentRun.Options()), _project, LifecycleStage.StagingDeployment, _workspace);

        Assert.Equal(AgentOutcomeKind.Failed, outcome.Kind);
        Assert.True(outcome.Retryable);
        Assert.StartsWith("Deploying to staging failed:", outcome.Summary, StringComparison.Ordinal);
        Assert.Contains("build", outcome.Summary, StringComparison.OrdinalIgnoreCase);
        // The release is the work item, so a redelivered item finds its deployment running and does not deploy twice.
        Assert.StartsWith("wi_", Assert.Single(_workspace.Deployments).ReleaseId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Monitoring_reports_issues_when_production_is_down()
    {
        // Nothing answers: production is not running.
        var outcome = await AgentRun.ExecuteAsync(new DevOpsAgent(AgentRun.Options(o => o.MonitoringChecks = 2)), _project, LifecycleStage.Monitoring, _workspace);

        Assert.Equal(LifecycleTrigger.IssuesFound, outcome.Trigger);
        Assert.Equal(2, outcome.Events.Count);
        Assert.All(outcome.Events, e => Assert.False(Assert.IsType<HealthChecked>(e).Healthy));
    }

    [Fact]
    public void Options_problems_are_listed_all_at_once()
    {
        var options = new AgentOptions { MonitoringChecks = 0, TestTimeout = TimeSpan.Zero, MonitoringInterval = TimeSpan.FromSeconds(-1) };

        Assert.Equal(3, options.GetProblems().Count);
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new DevOpsAgent(Microsoft.Extensions.Options.Options.Create(options)));
    }
}
