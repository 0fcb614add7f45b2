using Microsoft.Extensions.AI;
using VirtualItCompany.Lifecycle;

namespace VirtualItCompany.Tests.Runtime;

/// <summary>Lifecycles built in code run through the real runtime (company facade, dispatcher, orchestrator, store) to Completed.</summary>
public sealed class CustomLifecycleRunTests
{
    private static readonly LifecycleStage Draft = new("Draft");
    private static readonly LifecycleStage Published = new("Published");
    private static readonly LifecycleStage SecurityReview = new("SecurityReview");
    private static readonly LifecycleStage Acceptance = new("Acceptance");
    private static readonly LifecycleTrigger DraftReady = new("DraftReady");
    private static readonly LifecycleTrigger SecurityApproved = new("SecurityApproved");
    private static readonly LifecycleTrigger Accepted = new("Accepted");
    private static readonly LifecycleTrigger Rejected = new("Rejected");
    private static readonly AgentRole Writer = new("Writer");
    private static readonly AgentRole SecurityReviewer = new("SecurityReviewer");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_two_stage_lifecycle_starts_in_its_own_first_stage_and_completes()
    {
        var lifecycle = LifecycleDefinition.CreateBuilder("Blog post", Draft)
            .Stage(Draft, Writer)
            .Permit(Draft, DraftReady, Published)
            .Terminal(Published)
            .Build();
        var writer = new ScriptedAgent(Writer, (ctx, n) => AgentOutcome.Completed("drafted", DraftReady));
        await using var company = new TestCompany(b => b.AddAgent(writer), o => o.Lifecycle = lifecycle);

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        Assert.Equal(Draft, project.Stage);
        Assert.Equal(Draft, Assert.Single(project.OutstandingWork.Values).Stage);

        var events = await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted);

        Assert.Equal(Draft, Assert.IsType<ProjectCreated>(events[0]).InitialStage);
        Assert.Equal([(Draft, Published)], events.OfType<StageChanged>().Select(e => (e.From, e.To)));
        Assert.Equal(1, writer.Calls);
        var done = await company.Company.GetAsync(project.Id, Ct);
        Assert.Equal(ProjectStatus.Completed, done.Status);
        Assert.Equal(Published, done.Stage);
    }

    [Fact]
    public async Task A_lifecycle_derived_from_the_default_with_a_security_review_after_code_review_runs_it_with_its_own_agent()
    {
        var lifecycle = LifecycleDefinition.Default.ToBuilder("Default with security review")
            .Stage(SecurityReview, SecurityReviewer)
            .Reroute(LifecycleStage.CodeReview, LifecycleTrigger.ReviewApproved, SecurityReview)
            .Permit(SecurityReview, SecurityApproved, LifecycleStage.Testing)
            .Build();
        var reviewer = new ScriptedAgent(SecurityReviewer, (ctx, n) =>
        {
            Assert.Equal(SecurityReview, ctx.WorkItem.Stage);
            return AgentOutcome.Completed("no secrets in the code", SecurityApproved);
        });
        await using var company = new TestCompany(b => b.AddAgent(reviewer), o => o.Lifecycle = lifecycle);

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        var events = await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted);

        var path = events.OfType<StageChanged>().Select(e => e.To).ToList();
        Assert.Equal(
            [LifecycleStage.ProjectPlanning, LifecycleStage.SetupDevelopment, LifecycleStage.FeatureDevelopment, LifecycleStage.CodeReview, SecurityReview, LifecycleStage.Testing,
             LifecycleStage.StagingDeployment, LifecycleStage.ClientReview, LifecycleStage.ProductionDeployment, LifecycleStage.Monitoring, LifecycleStage.Completed],
            path);
        Assert.Equal(1, reviewer.Calls);
        Assert.Equal(ProjectStatus.Completed, (await company.Company.GetAsync(project.Id, Ct)).Status);
    }

    [Fact]
    public async Task A_lifecycle_without_client_review_goes_from_staging_to_production()
    {
        var lifecycle = LifecycleDefinition.Default.ToBuilder("No client review")
            .RemoveStage(LifecycleStage.ClientReview)
            .Permit(LifecycleStage.StagingDeployment, LifecycleTrigger.StagingDeployed, LifecycleStage.ProductionDeployment)
            .WithClientActions(LifecycleClientActions.Default with { Approved = null, ChangesRequested = null })
            .Build();
        await using var company = new TestCompany(options: o => o.Lifecycle = lifecycle);

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        var events = await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted);

        Assert.DoesNotContain(events, e => e is StageChanged s && s.To == LifecycleStage.ClientReview);
        Assert.Contains(events, e => e is StageChanged { From: var from, To: var to } && from == LifecycleStage.StagingDeployment && to == LifecycleStage.ProductionDeployment);
        Assert.DoesNotContain(events, e => e is ClientInputRequested);
        Assert.Equal(ProjectStatus.Completed, (await company.Company.GetAsync(project.Id, Ct)).Status);
    }

    [Fact]
    public async Task The_client_actions_fire_the_triggers_the_lifecycle_declares()
    {
        var lifecycle = LifecycleDefinition.CreateBuilder("Accepted drafts", Draft)
            .Stage(Draft, Writer)
            .Permit(Draft, DraftReady, Acceptance)
            .Stage(Acceptance, AgentRole.ProjectManager)
            .Permit(Acceptance, Accepted, Published)
            .Permit(Acceptance, Rejected, Draft)
            .AddressRequestedChangesIn(Draft)
            .Terminal(Published)
            .WithClientActions(new LifecycleClientActions { Approved = Accepted, ChangesRequested = Rejected })
            .Build();
        var writer = new ScriptedAgent(Writer, (ctx, n) => AgentOutcome.Completed($"draft {n}", DraftReady));
        var manager = new ScriptedAgent(AgentRole.ProjectManager, (ctx, n) => AgentOutcome.NeedsClientInput("Is this draft good?", ClientInputKind.Review));
        await using var company = new TestCompany(b => b.AddAgent(writer).AddAgent(manager), o => o.Lifecycle = lifecycle);

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        var events = await company.WatchUntilAsync(project.Id, e => e is ClientInputRequested);
        await company.Company.RequestChangesAsync(project.Id, "shorter, please", Ct);
        events = await company.WatchUntilAsync(project.Id, e => e is ClientInputRequested, events[^1].Version);
        var changed = events.OfType<StageChanged>().ToList();
        Assert.Equal((Acceptance, Rejected, Draft), (changed[0].From, changed[0].Trigger, changed[0].To));
        Assert.True(changed[0].IsLoop);
        Assert.True(changed[1].AddressesRequestedChanges);
        Assert.Empty((await company.Company.GetAsync(project.Id, Ct)).RequestedChanges);

        await company.Company.ApproveAsync(project.Id, cancellationToken: Ct);
        events = await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted, events[^1].Version);

        Assert.Contains(events, e => e is StageChanged { Trigger: var t } && t == Accepted);
        Assert.Equal(2, writer.Calls);
    }

    [Fact]
    public async Task A_custom_fan_out_gives_each_role_one_item_per_subject_and_moves_on_when_all_are_done()
    {
        var chapters = new StageFanOut("per acceptance criterion", p => p.AcceptanceCriteria);
        var lifecycle = LifecycleDefinition.CreateBuilder("Chapters", Draft)
            .FanOutStage(Draft, chapters, Writer)
            .Permit(Draft, DraftReady, Published)
            .Terminal(Published)
            .Build();
        var subjects = new System.Collections.Concurrent.ConcurrentBag<string?>();
        var writer = new ScriptedAgent(Writer, (ctx, n) =>
        {
            subjects.Add(ctx.WorkItem.Subject);
            return AgentOutcome.Completed("written", DraftReady);
        });
        await using var company = new TestCompany(b => b.AddAgent(writer), o => o.Lifecycle = lifecycle);

        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        var events = await company.WatchUntilAsync(project.Id, e => e is ProjectCompleted);

        Assert.Equal(["adds a todo", "lists todos"], subjects.Order(StringComparer.Ordinal));
        Assert.Single(events.OfType<StageChanged>());
    }
}
