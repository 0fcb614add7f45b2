using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VirtualItCompany.Runtime;
using VirtualItCompany.Storage;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Tests.Runtime;

/// <summary>Scenarios a review found broken; each test failed before its fix.</summary>
public sealed class ReviewRegressionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_fan_out_stage_does_not_advance_while_one_of_its_items_is_set_aside()
    {
        var developer = new ScriptedAgent(AgentRole.Developer, (ctx, n) => ctx.WorkItem.Subject == "feature-1"
            ? AgentOutcome.Failed("compiler crashed", retryable: false)
            : AgentOutcome.Completed("built", LifecycleTrigger.FeaturesComplete));
        await using var company = new TestCompany(b => b.AddAgent(developer));

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        var events = await company.WatchUntilAsync(project.Id, e => e is ProjectPaused);
        await Task.Delay(200, Ct); // let feature-2 finish

        var snapshot = await company.Company.GetAsync(project.Id, Ct);
        Assert.Equal(LifecycleStage.FeatureDevelopment, snapshot.Stage);
        Assert.Contains(snapshot.ParkedWork, w => w.Subject == "feature-1");
        Assert.DoesNotContain(await ReadAllAsync(company, project.Id), e => e is StageChanged { From.Value: "FeatureDevelopment" });
        Assert.NotEmpty(events);
    }

    [Fact]
    public async Task An_item_leased_while_paused_runs_when_the_project_was_resumed_before_it_could_be_parked()
    {
        await using var company = new TestCompany(startWorkers: false);
        var store = company.Services.GetRequiredService<InMemoryCompanyStore>();
        var orchestrator = company.Services.GetRequiredService<WorkOrchestrator>();
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        await company.Company.PauseAsync(project.Id, cancellationToken: Ct);
        var lease = (await store.TryLeaseAsync(new LeaseRequest("w", TimeSpan.FromMinutes(1)), Ct))!;

        // The resume lands between the worker's look at the project and its commit.
        await company.Company.ResumeAsync(project.Id, Ct);
        await orchestrator.ProcessAsync(lease, Ct);

        Assert.Equal(1, await store.CountAsync(Ct));
        Assert.NotNull(await store.TryLeaseAsync(new LeaseRequest("w", TimeSpan.FromMinutes(1)), Ct));
    }

    [Fact]
    public async Task The_dispatcher_survives_a_storage_outage_and_goes_on_when_it_ends()
    {
        var flaky = new FlakyQueue();
        await using var company = new TestCompany(b => b.Services.AddSingleton<IWorkQueue>(sp => flaky.Attach(sp.GetRequiredService<InMemoryCompanyStore>())));

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted);

        Assert.True(flaky.Failures > 0);
    }

    [Fact]
    public async Task A_question_in_a_fan_out_stage_holds_the_stage_and_the_answer_reruns_only_the_asking_item()
    {
        var developer = new ScriptedAgent(AgentRole.Developer, (ctx, n) => ctx.WorkItem.Subject == "feature-1" && ctx.Project.ClientAnswers.Count == 0
            ? AgentOutcome.NeedsClientInput("Which colour?")
            : AgentOutcome.Completed("built " + ctx.WorkItem.Subject, LifecycleTrigger.FeaturesComplete));
        await using var company = new TestCompany(b => b.AddAgent(developer));
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);

        var asked = await company.WatchUntilAsync(project.Id, e => e is ClientInputRequested);
        await Task.Delay(200, Ct); // feature-2 finishes meanwhile
        Assert.Equal(LifecycleStage.FeatureDevelopment, (await company.Company.GetAsync(project.Id, Ct)).Stage);

        await company.Company.AnswerAsync(project.Id, "Blue.", Ct);
        await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted, asked[^1].Version);

        var all = await ReadAllAsync(company, project.Id);
        Assert.Equal(3, developer.Calls); // feature-1 twice, feature-2 once
        Assert.Single(all.OfType<StageChanged>(), e => e.From == LifecycleStage.FeatureDevelopment);
    }

    [Fact]
    public async Task A_paused_project_asked_a_question_stays_paused_and_resuming_it_waits_for_the_answer()
    {
        var pm = new ScriptedAgent(AgentRole.ProjectManager, async (ctx, n) =>
        {
            if (ctx.Project.ClientAnswers.Count > 0)
            {
                return await new ForwardAgent(AgentRole.ProjectManager).ExecuteAsync(ctx, CancellationToken.None);
            }

            await ctx.Services.GetRequiredService<IDeliveryCompany>().PauseAsync(ctx.Project.Id, "client holiday", CancellationToken.None);
            return AgentOutcome.NeedsClientInput("Which features?");
        });
        await using var company = new TestCompany(b => b.AddAgent(pm));
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);

        await company.WatchUntilAsync(project.Id, e => e is ClientInputRequested);
        Assert.Equal(ProjectStatus.Paused, (await company.Company.GetAsync(project.Id, Ct)).Status);

        var resumed = await company.Company.ResumeAsync(project.Id, Ct);
        Assert.Equal(ProjectStatus.WaitingForClient, resumed.Status);
        Assert.Single(resumed.ParkedWork);

        await company.Company.AnswerAsync(project.Id, "Search first.", Ct);
        await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted);
    }

    [Fact]
    public void Absurd_durations_are_refused_by_validation()
    {
        var options = new CompanyOptions { LeaseDuration = TimeSpan.MaxValue, PollInterval = TimeSpan.FromDays(30), MaxRetryDelay = TimeSpan.MaxValue };

        var problems = options.GetProblems();

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("LeaseDuration", StringComparison.Ordinal));
    }

    private static async Task<List<ProjectEvent>> ReadAllAsync(TestCompany company, ProjectId id) =>
        await company.Services.GetRequiredService<IProjectStore>().ReadEventsAsync(id, cancellationToken: Ct).ToListAsync(Ct);

    /// <summary>A queue whose first leases fail, as a database in an outage does.</summary>
    private sealed class FlakyQueue : IWorkQueue
    {
        private IWorkQueue _inner = null!;
        private int _failures;

        public int Failures => Volatile.Read(ref _failures);

        public IWorkQueue Attach(IWorkQueue inner)
        {
            _inner = inner;
            return this;
        }

        public ValueTask<WorkLease?> TryLeaseAsync(LeaseRequest request, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _failures) <= 3 ? throw new TimeoutException("database unavailable") : _inner.TryLeaseAsync(request, cancellationToken);

        public ValueTask WaitForWorkAsync(TimeSpan maxWait, CancellationToken cancellationToken = default) => _inner.WaitForWorkAsync(maxWait, cancellationToken);

        public ValueTask<WorkLease> RenewAsync(WorkLease lease, TimeSpan duration, CancellationToken cancellationToken = default) => _inner.RenewAsync(lease, duration, cancellationToken);

        public ValueTask ReleaseAsync(WorkLease lease, CancellationToken cancellationToken = default) => _inner.ReleaseAsync(lease, cancellationToken);

        public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) => _inner.CountAsync(cancellationToken);
    }
}
