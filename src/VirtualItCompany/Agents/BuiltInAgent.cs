using Microsoft.Extensions.Options;

namespace VirtualItCompany.Agents;

/// <summary>
/// The base of the built-in agents, and of agents of your own that work in a fixed set of lifecycle stages:
/// it validates and keeps the <see cref="AgentOptions"/>, checks the context, refuses work items of a stage the agent does not handle
/// (a failure that is not retried) and hands the others to <see cref="ExecuteStageAsync"/>.
/// </summary>
public abstract class BuiltInAgent : IAgent
{
    private readonly LifecycleStage[] _supportedStages;

    /// <summary>Creates the agent.</summary>
    /// <param name="options">The agents' options; validated here.</param>
    /// <param name="role">The role whose work items the agent does.</param>
    /// <param name="supportedStages">The stages the agent works in; at least one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="supportedStages"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">The options are not valid.</exception>
    /// <exception cref="ArgumentException"><paramref name="supportedStages"/> is empty.</exception>
    protected BuiltInAgent(IOptions<AgentOptions> options, AgentRole role, params LifecycleStage[] supportedStages)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Value.Validate();
        ArgumentNullException.ThrowIfNull(supportedStages);
        if (supportedStages.Length == 0)
        {
            throw new ArgumentException("An agent must work in at least one stage.", nameof(supportedStages));
        }

        Options = options.Value;
        Role = role;
        _supportedStages = [.. supportedStages];
        SupportedStages = Array.AsReadOnly(_supportedStages);
    }

    /// <inheritdoc />
    public AgentRole Role { get; }

    /// <summary>Gets the stages the agent works in, in the order they are named when a work item of another stage is refused; checked against the lifecycle at start.</summary>
    public IReadOnlyList<LifecycleStage> SupportedStages { get; }

    IReadOnlyCollection<LifecycleStage>? IAgent.SupportedStages => SupportedStages;

    /// <summary>Gets the agents' options, validated when the agent was created.</summary>
    protected AgentOptions Options { get; }

    /// <inheritdoc />
    /// <remarks>A work item of a stage not in <see cref="SupportedStages"/> fails, not retryable, without calling <see cref="ExecuteStageAsync"/>.</remarks>
    public Task<AgentOutcome> ExecuteAsync(AgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var stage = context.WorkItem.Stage;
        return Array.IndexOf(_supportedStages, stage) >= 0
            ? ExecuteStageAsync(context, cancellationToken)
            : Task.FromResult(AgentStages.Unsupported(this, stage, _supportedStages));
    }

    /// <summary>Does one work item of a stage the agent works in.</summary>
    /// <param name="context">The work item, whose stage is one of <see cref="SupportedStages"/>, the project, a model client, the workspace and the budget.</param>
    /// <param name="cancellationToken">Cancels the work; the item is then retried later, nothing half-committed.</param>
    /// <returns>What came of the work.</returns>
    protected abstract Task<AgentOutcome> ExecuteStageAsync(AgentContext context, CancellationToken cancellationToken);
}
