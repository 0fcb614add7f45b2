using VirtualItCompany.Lifecycle;
using VirtualItCompany.Outcomes;
using VirtualItCompany.Routing;

namespace VirtualItCompany.Tests.Outcomes;

/// <summary>The pure parts of outcome feedback: which events are verdicts on whose work, and the band policy's hysteresis.</summary>
public sealed class OutcomeFoldTests
{
    private static readonly AgentRole Dev = AgentRole.Developer;
    private static readonly LifecycleStage Code = LifecycleStage.FeatureDevelopment;
    private static readonly OutcomeFeedbackOptions Options = new() { Enabled = true, MinVerdicts = 2, Window = 3, RaiseAtSentBackRate = 0.6, LowerAfterAcceptances = 2 };

    private static StageVerdict V(int at, bool accepted, BandState band = BandState.Normal) =>
        new(DateTimeOffset.UnixEpoch.AddMinutes(at), "p", at, Dev, Code, accepted, band);

    [Fact]
    public void The_policy_moves_up_at_the_rate_with_enough_verdicts_and_not_before()
    {
        Assert.Equal(0, OutcomeBandPolicy.Fold(Dev, Code, [V(1, false)], Options).Bands); // one verdict is not enough
        Assert.Equal(1, OutcomeBandPolicy.Fold(Dev, Code, [V(1, false), V(2, false)], Options).Bands);
        Assert.Equal(0, OutcomeBandPolicy.Fold(Dev, Code, [V(1, false), V(2, true), V(3, true)], Options).Bands); // 1 of 3 < 60%
        // The window keeps the last 3: two old send-backs fall out behind three acceptances.
        Assert.Equal(0, OutcomeBandPolicy.Fold(Dev, Code, [V(1, false), V(2, true), V(3, true), V(4, true), V(5, false)], Options).Bands);
    }

    [Fact]
    public void The_policy_moves_down_after_acceptances_in_a_row_at_the_higher_band_and_needs_twice_as_many_the_next_time()
    {
        List<StageVerdict> verdicts = [V(1, false), V(2, false), V(3, true, BandState.Raised), V(4, false, BandState.Raised), V(5, true, BandState.Raised)];
        Assert.Equal(1, OutcomeBandPolicy.Fold(Dev, Code, verdicts, Options).Bands); // a send-back broke the run

        verdicts.Add(V(6, true, BandState.Raised));
        var lowered = OutcomeBandPolicy.Fold(Dev, Code, verdicts, Options);
        Assert.Equal(0, lowered.Bands);
        Assert.Contains("moved back down 1 time(s)", lowered.Reason, StringComparison.Ordinal);

        // Hysteresis: the window was cleared, so one new send-back does not move it up again; two do.
        verdicts.Add(V(7, false));
        Assert.Equal(0, OutcomeBandPolicy.Fold(Dev, Code, verdicts, Options).Bands);
        verdicts.Add(V(8, false));
        var raisedAgain = OutcomeBandPolicy.Fold(Dev, Code, verdicts, Options);
        Assert.Equal(1, raisedAgain.Bands);
        Assert.Contains("after 4 acceptances in a row", raisedAgain.Reason, StringComparison.Ordinal);
        verdicts.AddRange([V(9, true, BandState.Raised), V(10, true, BandState.Raised), V(11, true, BandState.Raised)]);
        Assert.Equal(1, OutcomeBandPolicy.Fold(Dev, Code, verdicts, Options).Bands);
        verdicts.Add(V(12, true, BandState.Raised));
        Assert.Equal(0, OutcomeBandPolicy.Fold(Dev, Code, verdicts, Options).Bands);
    }

    [Fact]
    public void Mixed_work_and_work_of_the_other_state_are_evidence_for_neither_band()
    {
        List<StageVerdict> verdicts = [V(1, false, BandState.Mixed), V(2, false, BandState.Mixed), V(3, false, BandState.Raised)];
        Assert.Equal(0, OutcomeBandPolicy.Fold(Dev, Code, verdicts, Options).Bands);
    }

    [Fact]
    public void Verdict_rules_come_from_the_lifecycles_loops()
    {
        var rules = new VerdictRules(LifecycleDefinition.Default);
        foreach (var stage in new[] { LifecycleStage.CodeReview, LifecycleStage.Testing, LifecycleStage.ClientReview, LifecycleStage.Monitoring })
        {
            Assert.Equal([Code], rules.JudgedBy(stage)!);
        }

        Assert.Null(rules.JudgedBy(LifecycleStage.RequirementsAnalysis)); // asking the client is a loop onto itself, not a verdict
        Assert.Null(rules.JudgedBy(Code));
        Assert.Equal([Code], rules.JudgedStages);
    }

    [Fact]
    public void A_verdict_judges_the_latest_round_once_per_model_role_and_stage_and_the_escalation_at_the_loop_bound_is_one()
    {
        var rules = new VerdictRules(LifecycleDefinition.Default);
        var fold = new ProjectVerdictFold();
        var models = new List<ModelVerdict>();
        var stages = new List<StageVerdict>();
        long version = 0;
        void Apply(ProjectEvent e) => fold.Apply(e with { ProjectId = new ProjectId("p"), Version = ++version, Timestamp = DateTimeOffset.UnixEpoch.AddMinutes(version) }, rules, models, stages);
        ModelCallCompleted Call(string model, bool raised = false, ModelChargeKind kind = ModelChargeKind.Completed) =>
            new("wi", Dev, Code, "test", model + "-reported", 1, 1, 0m, TimeSpan.Zero, new RoutingDecision(model, 3, false, "r", 0m, []) { OutcomeBandsUp = raised ? 1 : 0 }, kind);

        Apply(new ProjectCreated(new ProjectBrief { Title = "t", Description = "d", AcceptanceCriteria = ["a"], Budget = 1m }, LifecycleStage.RequirementsAnalysis));
        Apply(new StageChanged(LifecycleStage.RequirementsAnalysis, LifecycleTrigger.RequirementsClear, LifecycleStage.ProjectPlanning));
        Apply(new StageChanged(LifecycleStage.ProjectPlanning, LifecycleTrigger.PlanReady, LifecycleStage.SetupDevelopment));
        Apply(new StageChanged(LifecycleStage.SetupDevelopment, LifecycleTrigger.SetupComplete, Code));
        Apply(Call("cheap"));
        Apply(Call("cheap")); // two calls of one model: one count
        Apply(Call("cheap", kind: ModelChargeKind.Failed)); // a failed call did no work
        Apply(new StageChanged(Code, LifecycleTrigger.FeaturesComplete, LifecycleStage.CodeReview));
        Apply(new StageChanged(LifecycleStage.CodeReview, LifecycleTrigger.ChangesNeeded, Code) { IsLoop = true });
        Assert.Equal([new ModelVerdict("cheap", Dev, Code, false)], models);

        Apply(Call("strong", raised: true));
        Apply(new StageChanged(Code, LifecycleTrigger.FeaturesComplete, LifecycleStage.CodeReview));
        Apply(new StageChanged(LifecycleStage.CodeReview, LifecycleTrigger.ReviewApproved, LifecycleStage.Testing));
        // Tests judge the code as it stands (the second round), not the round review already sent back.
        Apply(new StageChanged(LifecycleStage.Testing, LifecycleTrigger.TestsFailed, Code) { IsLoop = true });
        Assert.Equal([new ModelVerdict("strong", Dev, Code, true), new ModelVerdict("strong", Dev, Code, false)], models.Skip(1));
        Assert.Equal([BandState.Normal, BandState.Raised, BandState.Raised], stages.Select(s => s.Band));

        Apply(Call("cheap"));
        Apply(Call("strong", raised: true));
        Apply(new StageChanged(Code, LifecycleTrigger.FeaturesComplete, LifecycleStage.CodeReview));
        Apply(new ClientInputRequested(ClientInputKind.Escalation, "again?", LifecycleTrigger.ChangesNeeded));
        Assert.Equal([new ModelVerdict("cheap", Dev, Code, false), new ModelVerdict("strong", Dev, Code, false)], models.Skip(3));
        Assert.Equal(BandState.Mixed, stages[^1].Band);
        int counted = models.Count;
        // The human lets it go round: the send-back already counted finds no new work.
        Apply(new StageChanged(LifecycleStage.CodeReview, LifecycleTrigger.ChangesNeeded, Code) { IsLoop = true });
        Assert.Equal(counted, models.Count);
    }
}
