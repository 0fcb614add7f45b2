using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Tests.Runtime;

/// <summary>Defects found when the contracts were tried as an attacker would; each must stay impossible.</summary>
public sealed class DefectRegressionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Work_whose_effects_cannot_be_saved_fails_with_the_reason_and_stops_after_its_attempts()
    {
        var workspaces = new RefusingCommitsWorkspaceProvider(LifecycleStage.SetupDevelopment);
        var devops = new ScriptedAgent(AgentRole.DevOps, (ctx, n) => AgentOutcome.Completed("set up", LifecycleTrigger.SetupComplete));
        await using var company = new TestCompany(b => b.AddAgent(devops).Services.AddSingleton<IWorkspaceProvider>(workspaces), o => o.MaxAttempts = 3);

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        var events = await company.WatchUntilAsync(project.Id, e => e is ProjectPaused);

        var failures = events.OfType<WorkItemFailed>().Where(f => f.Stage == LifecycleStage.SetupDevelopment && f.Role == AgentRole.DevOps).ToList();
        Assert.Equal([1, 2, 3], failures.Select(f => f.Attempt));
        Assert.All(failures, f => Assert.Contains("could not be saved", f.Reason, StringComparison.Ordinal));
        Assert.Equal([true, true, false], failures.Select(f => f.WillRetry));
        Assert.Equal(3, devops.Calls);
        var paused = await company.Company.GetAsync(project.Id, Ct);
        Assert.Equal(ProjectStatus.Paused, paused.Status);
        Assert.Contains(paused.ParkedWork, w => w.Role == AgentRole.DevOps);
        Assert.Equal(0, await company.Services.GetRequiredService<IWorkQueue>().CountAsync(Ct));
    }

    [Fact]
    public async Task Leases_that_lapse_count_as_attempts_so_an_item_that_kills_its_worker_is_not_run_forever()
    {
        var manager = new ScriptedAgent(AgentRole.ProjectManager, (ctx, n) => AgentOutcome.Completed("clear", LifecycleTrigger.RequirementsClear));
        await using var company = new TestCompany(b => b.AddAgent(manager), o => o.MaxAttempts = 2, startWorkers: false);
        var queue = company.Services.GetRequiredService<IWorkQueue>();
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);

        // Two workers take the item and die (their leases lapse).
        for (int i = 1; i <= 2; i++)
        {
            var lease = await queue.TryLeaseAsync(new LeaseRequest("doomed-" + i, TimeSpan.FromMilliseconds(1)), Ct);
            Assert.Equal(i, lease!.Attempt);
            await Task.Delay(20, Ct);
        }

        using var stop = new CancellationTokenSource();
        var workers = company.Dispatcher.RunAsync(stop.Token);
        var events = await company.WatchUntilAsync(project.Id, e => e is ProjectPaused);
        await stop.CancelAsync();
        await workers;

        Assert.Equal(0, manager.Calls);
        var failed = Assert.Single(events.OfType<WorkItemFailed>());
        Assert.Equal(3, failed.Attempt);
        Assert.False(failed.WillRetry);
        Assert.Contains("tried 2 times", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disposed_company_refuses_new_projects_and_actions_instead_of_accepting_work_that_never_runs()
    {
        var company = new TestCompany(startWorkers: false);
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        var facade = company.Company;
        await company.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => facade.SubmitAsync(TestCompany.Brief(), Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => facade.PauseAsync(project.Id, cancellationToken: Ct));
    }

    [Fact]
    public async Task Client_texts_longer_than_the_limits_are_refused_with_a_clear_error()
    {
        await using var company = new TestCompany(startWorkers: false);
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        string longAnswer = new('a', ClientActionLimits.MaxAnswerLength + 1);
        string longReason = new('r', ClientActionLimits.MaxReasonLength + 1);

        var answer = await Assert.ThrowsAsync<ArgumentException>(() => company.Company.AnswerAsync(project.Id, longAnswer, Ct));
        Assert.Contains($"at most {ClientActionLimits.MaxAnswerLength}", answer.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => company.Company.RequestChangesAsync(project.Id, longAnswer, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => company.Company.ApproveAsync(project.Id, longReason, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => company.Company.PauseAsync(project.Id, longReason, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => company.Company.CancelAsync(project.Id, longReason, Ct));
        Assert.Equal(project.Version, (await company.Company.GetAsync(project.Id, Ct)).Version);
    }

    [Fact]
    public async Task Budgets_past_the_largest_amount_are_refused_instead_of_overflowing()
    {
        await using var company = new TestCompany(startWorkers: false);
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);

        var huge = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => company.Company.AddBudgetAsync(project.Id, decimal.MaxValue, Ct));
        Assert.Contains("BudgetLimits.MaxAmount", huge.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => company.Company.AddBudgetAsync(project.Id, BudgetLimits.MaxAmount, Ct));
        await Assert.ThrowsAsync<InvalidBriefException>(() => company.Company.SubmitAsync(TestCompany.Brief() with { Budget = 1e20m }, Ct));
        Assert.Equal(5m, (await company.Company.GetAsync(project.Id, Ct)).Brief.Budget);
    }

    /// <summary>In-memory workspaces whose git commit refuses the work of one stage, as git refuses paths under an ignored folder.</summary>
    private sealed class RefusingCommitsWorkspaceProvider(LifecycleStage refused) : IWorkspaceProvider
    {
        private readonly InMemoryWorkspaceProvider _inner = new();

        public async ValueTask<IProjectWorkspace> GetWorkspaceAsync(ProjectId projectId, CancellationToken cancellationToken = default) =>
            new Refusing((InMemoryWorkspace)await _inner.GetWorkspaceAsync(projectId, cancellationToken), refused);

        private sealed class Refusing(InMemoryWorkspace inner, LifecycleStage refused) : IProjectWorkspace
        {
            public ProjectId ProjectId => inner.ProjectId;

            public string RootPath => inner.RootPath;

            public Task<string> ReadFileAsync(string path, CancellationToken cancellationToken = default) => inner.ReadFileAsync(path, cancellationToken);

            public Task WriteFileAsync(string path, string content, CancellationToken cancellationToken = default) => inner.WriteFileAsync(path, content, cancellationToken);

            public Task<IReadOnlyList<string>> ListFilesAsync(string path = "", CancellationToken cancellationToken = default) => inner.ListFilesAsync(path, cancellationToken);

            public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken = default) => inner.RunAsync(request, cancellationToken);

            public Task<string?> CommitAsync(string message, IReadOnlyCollection<string>? paths = null, CancellationToken cancellationToken = default) =>
                message.StartsWith($"{refused.Value} ({AgentRole.DevOps.Value})", StringComparison.Ordinal)
                    ? throw new InvalidOperationException("git refused the paths: 'GIT~1/config' is not allowed")
                    : inner.CommitAsync(message, paths, cancellationToken);

            public Task<Uri> DeployAsync(string environment, DeploymentSpec spec, CancellationToken cancellationToken = default) => inner.DeployAsync(environment, spec, cancellationToken);

            public Task<HealthChecked> CheckHealthAsync(string environment, CancellationToken cancellationToken = default) => inner.CheckHealthAsync(environment, cancellationToken);

            public Task StopAsync(string environment, CancellationToken cancellationToken = default) => inner.StopAsync(environment, cancellationToken);

            public IList<Microsoft.Extensions.AI.AITool> CreateFileTools(Action<string>? onFileWritten = null) => inner.CreateFileTools(onFileWritten);
        }
    }
}
