namespace VirtualItCompany.Tests.Projects;

public sealed class ProjectSnapshotTests
{
    private static readonly ProjectId Id = new("prj_fold");

    private static ProjectSnapshot New() =>
        ProjectSnapshot.Create(new ProjectCreated(new ProjectBrief { Title = "T", Description = "D", Budget = 1m }, LifecycleStage.RequirementsAnalysis) { ProjectId = Id, Version = 1 });

    [Fact]
    public void Model_calls_add_up_tokens_and_spend_and_the_budget_left()
    {
        var call = new ModelCallCompleted("wi", AgentRole.Developer, LifecycleStage.FeatureDevelopment, "p", "m", 1000, 500, 0.25m, TimeSpan.Zero);

        var s = New().Apply(call).Apply(call);

        Assert.Equal(2, s.ModelCalls);
        Assert.Equal(2000, s.InputTokens);
        Assert.Equal(1000, s.OutputTokens);
        Assert.Equal(0.5m, s.Spent);
        Assert.Equal(0.5m, s.BudgetRemaining);
        Assert.Equal(3, s.Version);
    }

    [Fact]
    public void Entering_a_stage_again_starts_a_new_round_and_a_transition_marked_as_loop_is_counted()
    {
        var s = New()
            .Apply(new StageChanged(LifecycleStage.RequirementsAnalysis, LifecycleTrigger.NeedsClarification, LifecycleStage.RequirementsAnalysis) { IsLoop = true });

        Assert.Equal(2, s.RoundOf(LifecycleStage.RequirementsAnalysis));
        Assert.Equal(1, s.LoopCounts[ProjectSnapshot.LoopKey(LifecycleStage.RequirementsAnalysis, LifecycleTrigger.NeedsClarification)]);
    }

    [Fact]
    public void The_fold_counts_no_loop_the_event_does_not_mark()
    {
        var s = New()
            .Apply(new StageChanged(LifecycleStage.RequirementsAnalysis, LifecycleTrigger.NeedsClarification, LifecycleStage.RequirementsAnalysis));

        Assert.Equal(2, s.RoundOf(LifecycleStage.RequirementsAnalysis));
        Assert.Empty(s.LoopCounts);
    }

    [Fact]
    public void A_project_starts_in_the_stage_its_creation_names()
    {
        var draft = new LifecycleStage("Draft");
        var s = ProjectSnapshot.Create(new ProjectCreated(new ProjectBrief { Title = "T", Description = "D" }, draft) { ProjectId = Id, Version = 1 });

        Assert.Equal(draft, s.Stage);
        Assert.Equal(1, s.RoundOf(draft));
        Assert.Equal(0, s.RoundOf(LifecycleStage.RequirementsAnalysis));
    }

    [Fact]
    public void Scheduled_work_is_outstanding_until_completed_or_parked()
    {
        var a = WorkItem.Create(Id, AgentRole.Developer, LifecycleStage.FeatureDevelopment, 1, DateTimeOffset.UnixEpoch, "a");
        var b = WorkItem.Create(Id, AgentRole.Developer, LifecycleStage.FeatureDevelopment, 1, DateTimeOffset.UnixEpoch, "b");

        var s = New().Apply(new WorkItemScheduled(a)).Apply(new WorkItemScheduled(b)).Apply(new WorkItemCompleted(a.Id, a.Role, a.Stage, "ok", TimeSpan.Zero)).Apply(new WorkItemParked(b, "paused"));

        Assert.Empty(s.OutstandingWork);
        Assert.Equal(b.Id, Assert.Single(s.ParkedWork).Id);
        Assert.Empty(s.Apply(new ProjectResumed()).Apply(new WorkItemScheduled(b)).ParkedWork);
    }

    [Fact]
    public void Client_input_sets_and_clears_the_waiting_status()
    {
        var asked = New().Apply(new ClientInputRequested(ClientInputKind.Clarification, "which?"));
        Assert.Equal(ProjectStatus.WaitingForClient, asked.Status);

        var answered = asked.Apply(new ClientAnswered("this"));
        Assert.Equal(ProjectStatus.Active, answered.Status);
        Assert.Null(answered.PendingInput);
        Assert.Equal(["this"], answered.ClientAnswers);
    }

    [Fact]
    public void Resuming_a_project_that_waits_for_the_client_keeps_it_waiting()
    {
        var s = New().Apply(new ClientInputRequested(ClientInputKind.Review, "ok?")).Apply(new ProjectPaused("x")).Apply(new ProjectResumed());

        Assert.Equal(ProjectStatus.WaitingForClient, s.Status);
    }

    [Fact]
    public void Review_comments_are_requested_changes_until_a_transition_addresses_them()
    {
        var s = New().Apply(new CodeReviewed(false, ["rename x"])).Apply(new ClientRequestedChanges("bigger"));
        Assert.Equal(["rename x", "bigger"], s.RequestedChanges);

        var kept = s.Apply(new StageChanged(LifecycleStage.CodeReview, LifecycleTrigger.ChangesNeeded, LifecycleStage.FeatureDevelopment));
        Assert.Equal(["rename x", "bigger"], kept.RequestedChanges);
        var after = kept.Apply(new StageChanged(LifecycleStage.FeatureDevelopment, LifecycleTrigger.FeaturesComplete, LifecycleStage.CodeReview) { AddressesRequestedChanges = true });
        Assert.Empty(after.RequestedChanges);
    }
}
