namespace VirtualItCompany.Lifecycle.Tests;

public class DefaultLifecycleTests
{
    private static readonly LifecycleEngine Engine = new(LifecycleDefinition.Default);

    private static LifecycleStage Fire(LifecycleStage stage, LifecycleTrigger trigger) => Engine.Fire(stage, trigger);

    [Fact]
    public void Default_lifecycle_moves_from_requirements_analysis_to_project_planning_when_requirements_are_clear() =>
        Assert.Equal(LifecycleStage.ProjectPlanning, Fire(LifecycleStage.RequirementsAnalysis, LifecycleTrigger.RequirementsClear));

    [Fact]
    public void Default_lifecycle_stays_in_requirements_analysis_when_clarification_is_needed() =>
        Assert.Equal(LifecycleStage.RequirementsAnalysis, Fire(LifecycleStage.RequirementsAnalysis, LifecycleTrigger.NeedsClarification));

    [Fact]
    public void Default_lifecycle_moves_from_project_planning_to_setup_when_the_plan_is_ready() =>
        Assert.Equal(LifecycleStage.SetupDevelopment, Fire(LifecycleStage.ProjectPlanning, LifecycleTrigger.PlanReady));

    [Fact]
    public void Default_lifecycle_moves_from_setup_to_feature_development_when_setup_is_complete() =>
        Assert.Equal(LifecycleStage.FeatureDevelopment, Fire(LifecycleStage.SetupDevelopment, LifecycleTrigger.SetupComplete));

    [Fact]
    public void Default_lifecycle_moves_from_feature_development_to_code_review_when_features_are_complete() =>
        Assert.Equal(LifecycleStage.CodeReview, Fire(LifecycleStage.FeatureDevelopment, LifecycleTrigger.FeaturesComplete));

    [Fact]
    public void Default_lifecycle_moves_from_code_review_to_testing_when_approved() =>
        Assert.Equal(LifecycleStage.Testing, Fire(LifecycleStage.CodeReview, LifecycleTrigger.ReviewApproved));

    [Fact]
    public void Default_lifecycle_returns_from_code_review_to_feature_development_when_changes_are_needed() =>
        Assert.Equal(LifecycleStage.FeatureDevelopment, Fire(LifecycleStage.CodeReview, LifecycleTrigger.ChangesNeeded));

    [Fact]
    public void Default_lifecycle_moves_from_testing_to_staging_when_tests_pass() =>
        Assert.Equal(LifecycleStage.StagingDeployment, Fire(LifecycleStage.Testing, LifecycleTrigger.TestsPassed));

    [Fact]
    public void Default_lifecycle_returns_from_testing_to_feature_development_when_tests_fail() =>
        Assert.Equal(LifecycleStage.FeatureDevelopment, Fire(LifecycleStage.Testing, LifecycleTrigger.TestsFailed));

    [Fact]
    public void Default_lifecycle_moves_from_staging_to_client_review_when_staging_is_deployed() =>
        Assert.Equal(LifecycleStage.ClientReview, Fire(LifecycleStage.StagingDeployment, LifecycleTrigger.StagingDeployed));

    [Fact]
    public void Default_lifecycle_moves_from_client_review_to_production_when_the_client_approves() =>
        Assert.Equal(LifecycleStage.ProductionDeployment, Fire(LifecycleStage.ClientReview, LifecycleTrigger.ClientApproved));

    [Fact]
    public void Default_lifecycle_returns_from_client_review_to_feature_development_when_the_client_requests_changes() =>
        Assert.Equal(LifecycleStage.FeatureDevelopment, Fire(LifecycleStage.ClientReview, LifecycleTrigger.ClientRequestedChanges));

    [Fact]
    public void Default_lifecycle_moves_from_production_to_monitoring_when_production_is_deployed() =>
        Assert.Equal(LifecycleStage.Monitoring, Fire(LifecycleStage.ProductionDeployment, LifecycleTrigger.ProductionDeployed));

    [Fact]
    public void Default_lifecycle_completes_from_monitoring_when_the_project_is_complete() =>
        Assert.Equal(LifecycleStage.Completed, Fire(LifecycleStage.Monitoring, LifecycleTrigger.ProjectComplete));

    [Fact]
    public void Default_lifecycle_returns_from_monitoring_to_feature_development_when_issues_are_found() =>
        Assert.Equal(LifecycleStage.FeatureDevelopment, Fire(LifecycleStage.Monitoring, LifecycleTrigger.IssuesFound));

    [Fact]
    public void Default_lifecycle_has_exactly_the_designed_transitions()
    {
        Assert.Equal(15, LifecycleDefinition.Default.Transitions.Count);
        var permittedPerStage = LifecycleDefinition.Default.Stages.ToDictionary(s => s.Stage.Value, s => Engine.GetPermittedTriggers(s.Stage).Count);
        Assert.Equal(2, permittedPerStage["RequirementsAnalysis"]);
        Assert.Equal(1, permittedPerStage["ProjectPlanning"]);
        Assert.Equal(2, permittedPerStage["CodeReview"]);
        Assert.Equal(2, permittedPerStage["Monitoring"]);
        Assert.Equal(0, permittedPerStage["Completed"]);
    }

    [Fact]
    public void Default_lifecycle_starts_in_requirements_analysis_and_ends_in_completed()
    {
        var definition = LifecycleDefinition.Default;
        Assert.Equal("Default", definition.Name);
        Assert.Equal(LifecycleStage.RequirementsAnalysis, definition.InitialStage);
        Assert.Equal([LifecycleStage.Completed], definition.TerminalStages);
        Assert.True(Engine.IsTerminal(LifecycleStage.Completed));
        Assert.False(Engine.IsTerminal(LifecycleStage.Monitoring));
        Assert.Empty(definition.GetProblems());
    }

    [Fact]
    public void Default_lifecycle_declares_its_stages_in_delivery_order()
    {
        LifecycleStage[] expected =
        [
            LifecycleStage.RequirementsAnalysis, LifecycleStage.ProjectPlanning, LifecycleStage.SetupDevelopment,
            LifecycleStage.FeatureDevelopment, LifecycleStage.CodeReview, LifecycleStage.Testing,
            LifecycleStage.StagingDeployment, LifecycleStage.ClientReview, LifecycleStage.ProductionDeployment,
            LifecycleStage.Monitoring, LifecycleStage.Completed,
        ];
        Assert.Equal(expected, LifecycleDefinition.Default.Stages.Select(s => s.Stage));
    }

    [Fact]
    public void Default_lifecycle_gives_each_stage_its_designed_roles()
    {
        var definition = LifecycleDefinition.Default;
        Assert.Equal([AgentRole.ProjectManager], definition.GetStage(LifecycleStage.RequirementsAnalysis).Roles);
        Assert.Equal([AgentRole.ProjectManager], definition.GetStage(LifecycleStage.ProjectPlanning).Roles);
        Assert.Equal([AgentRole.DevOps, AgentRole.Designer], definition.GetStage(LifecycleStage.SetupDevelopment).Roles);
        Assert.Equal([AgentRole.Developer], definition.GetStage(LifecycleStage.FeatureDevelopment).Roles);
        Assert.Equal([AgentRole.CodeReviewer], definition.GetStage(LifecycleStage.CodeReview).Roles);
        Assert.Equal([AgentRole.Tester], definition.GetStage(LifecycleStage.Testing).Roles);
        Assert.Equal([AgentRole.DevOps], definition.GetStage(LifecycleStage.StagingDeployment).Roles);
        Assert.Equal([AgentRole.ProjectManager], definition.GetStage(LifecycleStage.ClientReview).Roles);
        Assert.Equal([AgentRole.DevOps], definition.GetStage(LifecycleStage.ProductionDeployment).Roles);
        Assert.Equal([AgentRole.DevOps], definition.GetStage(LifecycleStage.Monitoring).Roles);
        Assert.Empty(definition.GetStage(LifecycleStage.Completed).Roles);
    }

    [Fact]
    public void Default_lifecycle_fans_out_only_feature_development_per_feature()
    {
        var fannedOut = LifecycleDefinition.Default.Stages.Where(s => s.FanOut == StageFanOut.PerPlannedFeature).Select(s => s.Stage);
        Assert.Equal([LifecycleStage.FeatureDevelopment], fannedOut);
    }

    [Fact]
    public void Default_lifecycle_runs_a_whole_project_from_brief_to_completion()
    {
        LifecycleTrigger[] happyPath =
        [
            LifecycleTrigger.NeedsClarification, LifecycleTrigger.RequirementsClear, LifecycleTrigger.PlanReady,
            LifecycleTrigger.SetupComplete, LifecycleTrigger.FeaturesComplete, LifecycleTrigger.ChangesNeeded,
            LifecycleTrigger.FeaturesComplete, LifecycleTrigger.ReviewApproved, LifecycleTrigger.TestsPassed,
            LifecycleTrigger.StagingDeployed, LifecycleTrigger.ClientApproved, LifecycleTrigger.ProductionDeployed,
            LifecycleTrigger.ProjectComplete,
        ];
        var stage = LifecycleDefinition.Default.InitialStage;
        foreach (var trigger in happyPath)
        {
            stage = Engine.Fire(stage, trigger);
        }

        Assert.Equal(LifecycleStage.Completed, stage);
        Assert.True(Engine.IsTerminal(stage));
    }

    [Fact]
    public void Default_lifecycle_matches_stages_and_triggers_regardless_of_case()
    {
        var next = Engine.Fire(new LifecycleStage("codereview"), new LifecycleTrigger("REVIEWAPPROVED"));
        Assert.Equal(LifecycleStage.Testing, next);
        Assert.Equal("Testing", next.Value);
        Assert.True(Engine.CanFire(new LifecycleStage("TESTING"), new LifecycleTrigger("testsfailed")));
    }

    [Fact]
    public void Default_lifecycle_returns_stages_spelled_as_declared_whatever_the_caller_spelling()
    {
        Assert.Equal("RequirementsAnalysis", Engine.Fire(new LifecycleStage("requirementsanalysis"), LifecycleTrigger.NeedsClarification).Value);
        Assert.Equal("FeatureDevelopment", Engine.Fire(new LifecycleStage("TESTING"), LifecycleTrigger.TestsFailed).Value);
    }
}
