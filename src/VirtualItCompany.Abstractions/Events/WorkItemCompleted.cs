namespace VirtualItCompany;

/// <summary>An agent finished a work item.</summary>
/// <param name="WorkItemId">The work item's id.</param>
/// <param name="Role">The role that did the work.</param>
/// <param name="Stage">The stage of the work.</param>
/// <param name="Summary">What the agent did, in a sentence.</param>
/// <param name="Duration">How long the agent worked.</param>
public sealed record WorkItemCompleted(string WorkItemId, AgentRole Role, LifecycleStage Stage, string Summary, TimeSpan Duration) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"{Role} finished {Stage}: {Summary}";
}
