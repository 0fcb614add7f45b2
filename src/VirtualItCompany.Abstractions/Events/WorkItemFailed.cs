namespace VirtualItCompany;

/// <summary>A work item failed; it is retried later unless the failure was final.</summary>
/// <param name="WorkItemId">The work item's id.</param>
/// <param name="Role">The role that did the work.</param>
/// <param name="Stage">The stage of the work.</param>
/// <param name="Reason">Why it failed.</param>
/// <param name="Attempt">Which try failed, from 1 (<see cref="WorkLease.Attempt"/>).</param>
/// <param name="WillRetry">Whether it will be tried again.</param>
public sealed record WorkItemFailed(string WorkItemId, AgentRole Role, LifecycleStage Stage, string Reason, int Attempt, bool WillRetry) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"{Role} failed {Stage} (try {Attempt}): {Reason}";
}
