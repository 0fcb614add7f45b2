namespace VirtualItCompany;

/// <summary>
/// A base for agents of your own that work in a fixed set of lifecycle stages: it refuses a work item of another stage
/// (a failure that is not retried, with the reason) and hands the others to <see cref="ExecuteStageAsync"/>; the
/// company checks <see cref="SupportedStages"/> against its lifecycle when it starts. It needs nothing else.
/// </summary>
/// <example>
/// <code>
/// public sealed class SecurityReviewer() : StageAgent(new AgentRole("SecurityReviewer"), securityReview)
/// {
///     protected override async Task&lt;AgentOutcome&gt; ExecuteStageAsync(AgentContext context, CancellationToken ct)
///     {
///         var answer = await context.ChatClient.GetResponseAsync("Review the diff for secrets.", cancellationToken: ct);
///         return AgentOutcome.Completed(answer.Text, securityApproved);
///     }
/// }
/// </code>
/// </example>
public abstract class StageAgent : IAgent
{
    private readonly LifecycleStage[] _supportedStages;

    /// <summary>Creates the agent.</summary>
    /// <param name="role">The role whose work items the agent does.</param>
    /// <param name="supportedStages">The stages the agent works in; at least one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="supportedStages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="supportedStages"/> is empty, or a stage or the role has no name.</exception>
    protected StageAgent(AgentRole role, params LifecycleStage[] supportedStages)
    {
        ArgumentNullException.ThrowIfNull(supportedStages);
        if (role.Value.Length == 0)
        {
            throw new ArgumentException("The role has no name.", nameof(role));
        }

        if (supportedStages.Length == 0 || supportedStages.Any(s => s.Value.Length == 0))
        {
            throw new ArgumentException("An agent must work in at least one named stage.", nameof(supportedStages));
        }

        Role = role;
        _supportedStages = [.. supportedStages];
        SupportedStages = Array.AsReadOnly(_supportedStages);
    }

    /// <inheritdoc />
    public AgentRole Role { get; }

    /// <summary>Gets the stages the agent works in, in the order they are named when a work item of another stage is refused.</summary>
    public IReadOnlyList<LifecycleStage> SupportedStages { get; }

    IReadOnlyCollection<LifecycleStage>? IAgent.SupportedStages => SupportedStages;

    /// <inheritdoc />
    /// <remarks>A work item of a stage not in <see cref="SupportedStages"/> fails, not retryable, without calling <see cref="ExecuteStageAsync"/>.</remarks>
    public Task<AgentOutcome> ExecuteAsync(AgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var stage = context.WorkItem.Stage;
        return Array.IndexOf(_supportedStages, stage) >= 0
            ? ExecuteStageAsync(context, cancellationToken)
            : Task.FromResult(AgentOutcome.Failed(
                $"The {Role} agent does not work in the {stage} stage; it handles {string.Join(", ", _supportedStages.Select(s => s.Value))}.",
                retryable: false));
    }

    /// <summary>Does one work item of a stage the agent works in.</summary>
    /// <param name="context">The work item, whose stage is one of <see cref="SupportedStages"/>, the project, a model client, the workspace and the budget.</param>
    /// <param name="cancellationToken">Cancels the work; the item is then retried later, nothing half-committed.</param>
    /// <returns>What came of the work.</returns>
    protected abstract Task<AgentOutcome> ExecuteStageAsync(AgentContext context, CancellationToken cancellationToken);
}
