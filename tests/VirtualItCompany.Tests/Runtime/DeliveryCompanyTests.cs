using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Tests.Runtime;

public sealed class DeliveryCompanyTests
{
    private static readonly LifecycleStage[] DefaultPath =
    [
        LifecycleStage.ProjectPlanning, LifecycleStage.SetupDevelopment, LifecycleStage.FeatureDevelopment, LifecycleStage.CodeReview,
        LifecycleStage.Testing, LifecycleStage.StagingDeployment, LifecycleStage.ClientReview, LifecycleStage.ProductionDeployment,
        LifecycleStage.Monitoring, LifecycleStage.Completed,
    ];

    [Fact]
    public async Task Submitted_project_walks_every_stage_in_order_to_completion()
    {
        await using var company = new TestCompany();

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), TestContext.Current.CancellationToken);
        var events = await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted);

        Assert.Equal(DefaultPath, events.OfType<StageChanged>().Select(e => e.To));
        var done = await company.Company.GetAsync(project.Id, TestContext.Current.CancellationToken);
        Assert.Equal(ProjectStatus.Completed, done.Status);
        Assert.Empty(done.OutstandingWork);
        Assert.Equal(done.Version, events[^1].Version);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Version));
    }

    [Fact]
    public async Task Feature_development_fans_out_one_item_per_feature_and_fans_in_once()
    {
        await using var company = new TestCompany();

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), TestContext.Current.CancellationToken);
        var events = await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted);

        var developerItems = events.OfType<WorkItemScheduled>().Where(e => e.Item.Stage == LifecycleStage.FeatureDevelopment).Select(e => e.Item.Subject).ToList();
        Assert.Equal(["feature-1", "feature-2"], developerItems.Order());
        Assert.Single(events.OfType<StageChanged>(), e => e.From == LifecycleStage.FeatureDevelopment);
        int lastDevCompletion = events.FindLastIndex(e => e is WorkItemCompleted { Stage.Value: "FeatureDevelopment" });
        int leaveDev = events.FindIndex(e => e is StageChanged { From.Value: "FeatureDevelopment" });
        Assert.True(leaveDev > lastDevCompletion, "the project leaves feature development only after its last feature is done");
    }

    [Fact]
    public async Task Every_model_call_is_accounted_with_tokens_and_cost()
    {
        await using var company = new TestCompany();

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), TestContext.Current.CancellationToken);
        var events = await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted);
        var done = await company.Company.GetAsync(project.Id, TestContext.Current.CancellationToken);

        var calls = events.OfType<ModelCallCompleted>().ToList();
        Assert.Equal(company.Model.Calls, calls.Count);
        Assert.Equal(events.OfType<WorkItemCompleted>().Count(), calls.Count);
        Assert.All(calls, c => Assert.Equal((FakeChatClient.InputTokens * 1m + FakeChatClient.OutputTokens * 2m) / 1_000_000m, c.Cost));
        Assert.Equal(calls.Count, done.ModelCalls);
        Assert.Equal(calls.Sum(c => c.InputTokens), done.InputTokens);
        Assert.Equal(calls.Sum(c => c.OutputTokens), done.OutputTokens);
        Assert.Equal(calls.Sum(c => c.Cost), done.Spent);
        Assert.Equal(5m - done.Spent, done.BudgetRemaining);
    }

    [Fact]
    public async Task Invalid_brief_is_rejected_and_nothing_is_stored()
    {
        await using var company = new TestCompany();

        var ex = await Assert.ThrowsAsync<InvalidBriefException>(() => company.Company.SubmitAsync(TestCompany.Brief() with { Title = "", Budget = -2m }, TestContext.Current.CancellationToken));

        Assert.Equal(2, ex.Problems.Count);
        Assert.Empty(await company.Company.ListAsync(cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Unknown_project_id_gets_project_not_found()
    {
        await using var company = new TestCompany();
        var id = new ProjectId("prj_missing");

        var ex = await Assert.ThrowsAsync<ProjectNotFoundException>(() => company.Company.GetAsync(id, TestContext.Current.CancellationToken));
        Assert.Contains("prj_missing", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ProjectNotFoundException>(() => company.Company.PauseAsync(id, cancellationToken: TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ProjectNotFoundException>(async () => await company.Company.WatchAsync(id, cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Approving_a_project_that_is_not_in_client_review_is_refused_and_changes_nothing()
    {
        await using var company = new TestCompany(startWorkers: false);
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<InvalidProjectOperationException>(() => company.Company.ApproveAsync(project.Id, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(LifecycleStage.RequirementsAnalysis, ex.Stage);
        Assert.Contains("does not wait for the client", ex.Message, StringComparison.Ordinal);
        Assert.Equal(project.Version, (await company.Company.GetAsync(project.Id, TestContext.Current.CancellationToken)).Version);
    }

    [Fact]
    public async Task Pause_parks_the_work_and_resume_schedules_it_again()
    {
        await using var company = new TestCompany(startWorkers: false);
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), TestContext.Current.CancellationToken);

        var paused = await company.Company.PauseAsync(project.Id, "client holiday", TestContext.Current.CancellationToken);
        Assert.Equal(ProjectStatus.Paused, paused.Status);
        await Assert.ThrowsAsync<InvalidProjectOperationException>(() => company.Company.PauseAsync(project.Id, cancellationToken: TestContext.Current.CancellationToken));

        var cts = new CancellationTokenSource();
        var workers = company.Dispatcher.RunAsync(cts.Token);
        var parkedEvents = await company.WatchUntilAsync(project.Id, e => e is WorkItemParked);
        Assert.Single((await company.Company.GetAsync(project.Id, TestContext.Current.CancellationToken)).ParkedWork);
        Assert.Equal(0, company.Model.Calls);

        await company.Company.ResumeAsync(project.Id, TestContext.Current.CancellationToken);
        var rest = await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted, parkedEvents[^1].Version);
        Assert.Contains(rest, e => e is ProjectResumed);
        Assert.Equal(ProjectStatus.Completed, (await company.Company.GetAsync(project.Id, TestContext.Current.CancellationToken)).Status);
        await cts.CancelAsync();
        await workers;
    }

    [Fact]
    public async Task Cancelled_project_drops_its_remaining_work_and_refuses_further_actions()
    {
        await using var company = new TestCompany(startWorkers: false);
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), TestContext.Current.CancellationToken);

        var cancelled = await company.Company.CancelAsync(project.Id, "changed our mind", TestContext.Current.CancellationToken);

        Assert.Equal(ProjectStatus.Cancelled, cancelled.Status);
        await Assert.ThrowsAsync<InvalidProjectOperationException>(() => company.Company.CancelAsync(project.Id, cancellationToken: TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<InvalidProjectOperationException>(() => company.Company.ResumeAsync(project.Id, TestContext.Current.CancellationToken));

        var queue = company.Services.GetRequiredService<IWorkQueue>();
        var cts = new CancellationTokenSource();
        var workers = company.Dispatcher.RunAsync(cts.Token);
        for (int i = 0; i < 200 && await queue.CountAsync(TestContext.Current.CancellationToken) > 0; i++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, await queue.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, company.Model.Calls);
        await cts.CancelAsync();
        await workers;
    }
}
