using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VirtualItCompany.Runtime;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Tests.Runtime;

public sealed class WorkflowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Retryable_failure_is_retried_and_the_project_goes_on()
    {
        var flaky = new ScriptedAgent(AgentRole.Designer, (ctx, n) => n == 1 ? AgentOutcome.Failed("model timed out") : AgentOutcome.Completed("notes", LifecycleTrigger.SetupComplete));
        await using var company = new TestCompany(b => b.AddAgent(flaky));

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        var events = await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted);

        var failed = Assert.Single(events.OfType<WorkItemFailed>());
        Assert.True(failed.WillRetry);
        Assert.Equal("model timed out", failed.Reason);
        Assert.Equal(2, flaky.Calls);
    }

    [Fact]
    public async Task Work_that_keeps_failing_is_parked_and_the_project_paused_until_resumed()
    {
        bool broken = true;
        var agent = new ScriptedAgent(AgentRole.Tester, (ctx, n) => broken ? AgentOutcome.Failed("tests could not start") : AgentOutcome.Completed("ran", LifecycleTrigger.TestsPassed));
        await using var company = new TestCompany(b => b.AddAgent(agent), o => o.MaxAttempts = 2);

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        var events = await company.WatchUntilAsync(project.Id, e => e is ProjectPaused);

        Assert.Equal(2, events.OfType<WorkItemFailed>().Count());
        Assert.Contains("Fix the cause, then resume", ((ProjectPaused)events[^1]).Reason, StringComparison.Ordinal);
        var paused = await company.Company.GetAsync(project.Id, Ct);
        Assert.Equal(LifecycleStage.Testing, Assert.Single(paused.ParkedWork).Stage);

        broken = false;
        await company.Company.ResumeAsync(project.Id, Ct);
        await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted, events[^1].Version);
        Assert.Equal(ProjectStatus.Completed, (await company.Company.GetAsync(project.Id, Ct)).Status);
    }

    [Fact]
    public async Task Clarification_waits_for_the_client_and_the_answer_reruns_requirements()
    {
        var pm = new ScriptedAgent(AgentRole.ProjectManager, (ctx, n) => ctx.WorkItem.Stage == LifecycleStage.RequirementsAnalysis && ctx.Project.ClientAnswers.Count == 0
            ? AgentOutcome.NeedsClientInput("Which features first?")
            : new ForwardAgent(AgentRole.ProjectManager).ExecuteAsync(ctx, CancellationToken.None).GetAwaiter().GetResult());
        await using var company = new TestCompany(b => b.AddAgent(pm));

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        var asked = await company.WatchUntilAsync(project.Id, e => e is ClientInputRequested);
        Assert.Equal(ProjectStatus.WaitingForClient, (await company.Company.GetAsync(project.Id, Ct)).Status);
        await Assert.ThrowsAsync<InvalidProjectOperationException>(() => company.Company.ApproveAsync(project.Id, cancellationToken: Ct));

        await company.Company.AnswerAsync(project.Id, "Listing first.", Ct);
        var rest = await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted, asked[^1].Version);

        Assert.Equal(LifecycleStage.RequirementsAnalysis, rest.OfType<StageChanged>().First().To);
        Assert.Equal(LifecycleTrigger.NeedsClarification, rest.OfType<StageChanged>().First().Trigger);
        Assert.Equal(["Listing first."], (await company.Company.GetAsync(project.Id, Ct)).ClientAnswers);
    }

    [Fact]
    public async Task Client_review_waits_and_requested_changes_send_the_team_back_to_development()
    {
        var pm = new ScriptedAgent(AgentRole.ProjectManager, (ctx, n) => ctx.WorkItem.Stage == LifecycleStage.ClientReview
            ? AgentOutcome.NeedsClientInput("Staging is ready; approve?", ClientInputKind.Review)
            : new ForwardAgent(AgentRole.ProjectManager).ExecuteAsync(ctx, CancellationToken.None).GetAwaiter().GetResult());
        await using var company = new TestCompany(b => b.AddAgent(pm));
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);

        var first = await company.WatchUntilAsync(project.Id, e => e is ClientInputRequested);
        await company.Company.RequestChangesAsync(project.Id, "Make the title bigger.", Ct);
        var second = await company.WatchUntilAsync(project.Id, e => e is ClientInputRequested, first[^1].Version);
        Assert.Equal(LifecycleStage.FeatureDevelopment, second.OfType<StageChanged>().First().To);
        Assert.Contains(second, e => e is WorkItemScheduled { Item.Stage.Value: "FeatureDevelopment" });

        await company.Company.ApproveAsync(project.Id, "Looks good.", Ct);
        await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted, second[^1].Version);
        Assert.Equal(ProjectStatus.Completed, (await company.Company.GetAsync(project.Id, Ct)).Status);
    }

    [Fact]
    public async Task A_loop_that_goes_round_too_often_asks_a_human_and_the_answer_lets_it_go_on()
    {
        var reviewer = new ScriptedAgent(AgentRole.CodeReviewer, (ctx, n) => n <= 3
            ? AgentOutcome.Completed("changes needed", LifecycleTrigger.ChangesNeeded, [new CodeReviewed(false, [$"fix {n}"])])
            : AgentOutcome.Completed("approved", LifecycleTrigger.ReviewApproved, [new CodeReviewed(true, [])]));
        await using var company = new TestCompany(b => b.AddAgent(reviewer), o => o.MaxLoopCount = 2);
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);

        var events = await company.WatchUntilAsync(project.Id, e => e is ClientInputRequested);

        var escalation = (ClientInputRequested)events[^1];
        Assert.Equal(ClientInputKind.Escalation, escalation.Kind);
        Assert.Equal(LifecycleTrigger.ChangesNeeded, escalation.Trigger);
        Assert.Equal(2, events.OfType<StageChanged>().Count(e => e.Trigger == LifecycleTrigger.ChangesNeeded));

        await company.Company.AnswerAsync(project.Id, "Go round once more.", Ct);
        await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted, events[^1].Version);
        Assert.Equal(4, reviewer.Calls);
    }

    [Fact]
    public async Task Role_concurrency_limit_is_never_exceeded()
    {
        int running = 0, max = 0;
        var developer = new ScriptedAgent(AgentRole.Developer, async (ctx, n) =>
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref max, now);
            await Task.Delay(30, CancellationToken.None);
            Interlocked.Decrement(ref running);
            return AgentOutcome.Completed("built", LifecycleTrigger.FeaturesComplete);
        });
        await using var company = new TestCompany(b => b.AddAgent(new ForwardAgent(AgentRole.ProjectManager, featureCount: 6)).AddAgent(developer), o =>
        {
            o.Workers = 4;
            o.RoleConcurrency["Developer"] = 2;
        });

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted);

        Assert.Equal(6, developer.Calls);
        Assert.Equal(2, max);
    }

    [Fact]
    public async Task Lost_lease_cannot_commit_so_the_work_is_not_recorded_twice()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var company = new TestCompany(b => b.Services.AddSingleton<TimeProvider>(time), startWorkers: false);
        var queue = company.Services.GetRequiredService<IWorkQueue>();
        var orchestrator = company.Services.GetRequiredService<WorkOrchestrator>();
        var lease = company.Services.GetRequiredService<IOptions<CompanyOptions>>().Value.LeaseDuration;
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);

        var stale = (await queue.TryLeaseAsync(new LeaseRequest("slow", lease), Ct))!;
        time.Advance(lease + TimeSpan.FromSeconds(1));
        var fresh = (await queue.TryLeaseAsync(new LeaseRequest("fast", lease), Ct))!;
        await orchestrator.ProcessAsync(fresh, Ct);
        await orchestrator.ProcessAsync(stale, Ct);

        var snapshot = await company.Company.GetAsync(project.Id, Ct);
        var all = await company.Services.GetRequiredService<IProjectStore>().ReadEventsAsync(project.Id, cancellationToken: Ct).ToListAsync(Ct);
        Assert.Single(all.OfType<WorkItemCompleted>());
        Assert.Single(all.OfType<StageChanged>());
        Assert.Equal(LifecycleStage.ProjectPlanning, snapshot.Stage);
    }

    [Fact]
    public async Task Cancelling_a_project_stops_its_running_agents_and_keeps_what_their_calls_cost()
    {
        var started = new TaskCompletionSource();
        var stopped = new TaskCompletionSource();
        var pm = new ScriptedAgent(AgentRole.ProjectManager, async (ctx, n, ct) =>
        {
            await ctx.ChatClient.GetResponseAsync([new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.User, "think")], cancellationToken: CancellationToken.None);
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                stopped.TrySetResult();
                throw;
            }

            return AgentOutcome.Completed("never", LifecycleTrigger.RequirementsClear);
        });
        await using var company = new TestCompany(b => b.AddAgent(pm));
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        await company.Company.CancelAsync(project.Id, cancellationToken: Ct);

        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        for (int i = 0; i < 200 && (await company.Company.GetAsync(project.Id, Ct)).ModelCalls == 0; i++)
        {
            await Task.Delay(10, Ct);
        }

        var done = await company.Company.GetAsync(project.Id, Ct);
        Assert.Equal(ProjectStatus.Cancelled, done.Status);
        Assert.Equal(1, done.ModelCalls);
        Assert.True(done.Spent > 0m);
    }

    [Fact]
    public async Task Missing_model_is_reported_with_what_to_add()
    {
        var services = new ServiceCollection();
        services.AddVirtualItCompany();
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<WorkOrchestrator>());
        Assert.Contains("AddOfflineModel()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_that_cannot_be_priced_is_refused_at_start_before_any_call_is_paid_for()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IChatClient>(new UnpricedModel());
        services.AddVirtualItCompany();
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<WorkOrchestrator>());
        Assert.Contains("reports no ModelPricing", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AddModel(profile, client)", ex.Message, StringComparison.Ordinal);
    }

    private sealed class UnpricedModel : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new InvalidOperationException("never called");

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new InvalidOperationException("never called");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task Invalid_options_report_every_problem_at_once()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IChatClient>(new FakeChatClient());
        services.AddVirtualItCompany(o =>
        {
            o.Workers = 0;
            o.MaxAttempts = 0;
            o.RoleConcurrency["Developer"] = 0;
        });
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CompanyOptions>>().Value);
        Assert.Equal(3, ex.Failures.Count());
        Assert.Contains(ex.Failures, f => f.StartsWith("Workers is 0", StringComparison.Ordinal));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
