using Microsoft.Extensions.AI;

namespace VirtualItCompany.Testing;

/// <summary>An agent for tests: one model call, then the default lifecycle's forward trigger for the stage (it approves its own client review).</summary>
/// <remarks>In project planning it plans <see cref="FeatureCount"/> features, so feature development fans out. It does no real work.</remarks>
public sealed class ForwardAgent : IAgent
{
    private static readonly Dictionary<LifecycleStage, LifecycleTrigger> Forward = new()
    {
        [LifecycleStage.RequirementsAnalysis] = LifecycleTrigger.RequirementsClear,
        [LifecycleStage.ProjectPlanning] = LifecycleTrigger.PlanReady,
        [LifecycleStage.SetupDevelopment] = LifecycleTrigger.SetupComplete,
        [LifecycleStage.FeatureDevelopment] = LifecycleTrigger.FeaturesComplete,
        [LifecycleStage.CodeReview] = LifecycleTrigger.ReviewApproved,
        [LifecycleStage.Testing] = LifecycleTrigger.TestsPassed,
        [LifecycleStage.StagingDeployment] = LifecycleTrigger.StagingDeployed,
        [LifecycleStage.ClientReview] = LifecycleTrigger.ClientApproved,
        [LifecycleStage.ProductionDeployment] = LifecycleTrigger.ProductionDeployed,
        [LifecycleStage.Monitoring] = LifecycleTrigger.ProjectComplete,
    };

    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Do the work.")];

    private readonly IReadOnlyList<ProjectEvent> _plan;

    /// <summary>Creates the agent for a role.</summary>
    /// <param name="role">The role it plays.</param>
    /// <param name="featureCount">How many features it plans (1 or more).</param>
    public ForwardAgent(AgentRole role, int featureCount = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        Role = role;
        FeatureCount = featureCount;
        _plan = [new PlanCreated([.. Enumerable.Range(1, featureCount).Select(i => new PlannedFeature($"feature-{i}", $"Feature number {i}."))])];
    }

    /// <inheritdoc />
    public AgentRole Role { get; }

    /// <summary>Gets how many features the agent plans.</summary>
    public int FeatureCount { get; }

    /// <summary>Creates one forward agent for each built-in role.</summary>
    /// <param name="featureCount">How many features the project manager plans.</param>
    /// <returns>The agents.</returns>
    public static IReadOnlyList<ForwardAgent> ForAllRoles(int featureCount = 2) =>
        [.. new[] { AgentRole.ProjectManager, AgentRole.Designer, AgentRole.DevOps, AgentRole.Developer, AgentRole.CodeReviewer, AgentRole.Tester }.Select(r => new ForwardAgent(r, featureCount))];

    /// <inheritdoc />
    public async Task<AgentOutcome> ExecuteAsync(AgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.ChatClient.GetResponseAsync(Prompt, cancellationToken: cancellationToken).ConfigureAwait(false);
        var stage = context.WorkItem.Stage;
        if (!Forward.TryGetValue(stage, out var trigger))
        {
            return AgentOutcome.Failed($"The forward agent knows no forward trigger for stage {stage}.", retryable: false);
        }

        return AgentOutcome.Completed("done", trigger, stage == LifecycleStage.ProjectPlanning ? _plan : null);
    }
}
