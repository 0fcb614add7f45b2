namespace VirtualItCompany.Lifecycle;

/// <summary>The delivery lifecycle the platform was designed with.</summary>
internal static class DefaultLifecycle
{
    public static LifecycleDefinition Create() =>
        LifecycleDefinition.CreateBuilder("Default", LifecycleStage.RequirementsAnalysis)
            .Stage(LifecycleStage.RequirementsAnalysis, AgentRole.ProjectManager)
            .Permit(LifecycleStage.RequirementsAnalysis, LifecycleTrigger.RequirementsClear, LifecycleStage.ProjectPlanning)
            .Permit(LifecycleStage.RequirementsAnalysis, LifecycleTrigger.NeedsClarification, LifecycleStage.RequirementsAnalysis)
            .Stage(LifecycleStage.ProjectPlanning, AgentRole.ProjectManager)
            .Permit(LifecycleStage.ProjectPlanning, LifecycleTrigger.PlanReady, LifecycleStage.SetupDevelopment)
            .Stage(LifecycleStage.SetupDevelopment, AgentRole.DevOps, AgentRole.Designer)
            .Permit(LifecycleStage.SetupDevelopment, LifecycleTrigger.SetupComplete, LifecycleStage.FeatureDevelopment)
            .FanOutStage(LifecycleStage.FeatureDevelopment, AgentRole.Developer)
            .AddressRequestedChangesIn(LifecycleStage.FeatureDevelopment)
            .Permit(LifecycleStage.FeatureDevelopment, LifecycleTrigger.FeaturesComplete, LifecycleStage.CodeReview)
            .Stage(LifecycleStage.CodeReview, AgentRole.CodeReviewer)
            .Permit(LifecycleStage.CodeReview, LifecycleTrigger.ReviewApproved, LifecycleStage.Testing)
            .Permit(LifecycleStage.CodeReview, LifecycleTrigger.ChangesNeeded, LifecycleStage.FeatureDevelopment)
            .Stage(LifecycleStage.Testing, AgentRole.Tester)
            .Permit(LifecycleStage.Testing, LifecycleTrigger.TestsPassed, LifecycleStage.StagingDeployment)
            .Permit(LifecycleStage.Testing, LifecycleTrigger.TestsFailed, LifecycleStage.FeatureDevelopment)
            .Stage(LifecycleStage.StagingDeployment, AgentRole.DevOps)
            .Permit(LifecycleStage.StagingDeployment, LifecycleTrigger.StagingDeployed, LifecycleStage.ClientReview)
            .Stage(LifecycleStage.ClientReview, AgentRole.ProjectManager)
            .Permit(LifecycleStage.ClientReview, LifecycleTrigger.ClientApproved, LifecycleStage.ProductionDeployment)
            .Permit(LifecycleStage.ClientReview, LifecycleTrigger.ClientRequestedChanges, LifecycleStage.FeatureDevelopment)
            .Stage(LifecycleStage.ProductionDeployment, AgentRole.DevOps)
            .Permit(LifecycleStage.ProductionDeployment, LifecycleTrigger.ProductionDeployed, LifecycleStage.Monitoring)
            .Stage(LifecycleStage.Monitoring, AgentRole.DevOps)
            .Permit(LifecycleStage.Monitoring, LifecycleTrigger.ProjectComplete, LifecycleStage.Completed)
            .Permit(LifecycleStage.Monitoring, LifecycleTrigger.IssuesFound, LifecycleStage.FeatureDevelopment)
            .Terminal(LifecycleStage.Completed)
            .Build();
}
