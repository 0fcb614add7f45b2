namespace VirtualItCompany;

/// <summary>A member of the delivery team: does the work items of one role.</summary>
/// <remarks>
/// Register agents with <c>AddAgent</c>; the last agent registered for a role does its work, so a
/// built-in agent is replaced by registering another for the same role. An agent must be safe to
/// call concurrently for different work items.
/// </remarks>
public interface IAgent
{
    /// <summary>Gets the role whose work items this agent does.</summary>
    AgentRole Role { get; }

    /// <summary>Gets the stages the agent can work in, checked against the lifecycle when the company starts; <see langword="null"/> (the default) for any stage.</summary>
    IReadOnlyCollection<LifecycleStage>? SupportedStages => null;

    /// <summary>Does one work item.</summary>
    /// <param name="context">The work item, the project, a model client, the workspace and the budget.</param>
    /// <param name="cancellationToken">Cancels the work; the item is then retried later, nothing half-committed.</param>
    /// <returns>What came of the work.</returns>
    Task<AgentOutcome> ExecuteAsync(AgentContext context, CancellationToken cancellationToken);
}
