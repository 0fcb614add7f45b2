namespace VirtualItCompany.Benchmarks;

/// <summary>The default lifecycle's forward path: the ten transitions a project takes when every stage succeeds.</summary>
internal static class ForwardPath
{
    public static IReadOnlyList<(LifecycleStage From, LifecycleTrigger Trigger, LifecycleStage To, AgentRole Role)> Steps { get; } =
    [
        (LifecycleStage.RequirementsAnalysis, LifecycleTrigger.RequirementsClear, LifecycleStage.ProjectPlanning, AgentRole.ProjectManager),
        (LifecycleStage.ProjectPlanning, LifecycleTrigger.PlanReady, LifecycleStage.SetupDevelopment, AgentRole.ProjectManager),
        (LifecycleStage.SetupDevelopment, LifecycleTrigger.SetupComplete, LifecycleStage.FeatureDevelopment, AgentRole.DevOps),
        (LifecycleStage.FeatureDevelopment, LifecycleTrigger.FeaturesComplete, LifecycleStage.CodeReview, AgentRole.Developer),
        (LifecycleStage.CodeReview, LifecycleTrigger.ReviewApproved, LifecycleStage.Testing, AgentRole.CodeReviewer),
        (LifecycleStage.Testing, LifecycleTrigger.TestsPassed, LifecycleStage.StagingDeployment, AgentRole.Tester),
        (LifecycleStage.StagingDeployment, LifecycleTrigger.StagingDeployed, LifecycleStage.ClientReview, AgentRole.DevOps),
        (LifecycleStage.ClientReview, LifecycleTrigger.ClientApproved, LifecycleStage.ProductionDeployment, AgentRole.ProjectManager),
        (LifecycleStage.ProductionDeployment, LifecycleTrigger.ProductionDeployed, LifecycleStage.Monitoring, AgentRole.DevOps),
        (LifecycleStage.Monitoring, LifecycleTrigger.ProjectComplete, LifecycleStage.Completed, AgentRole.DevOps),
    ];
}
