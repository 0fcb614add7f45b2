namespace VirtualItCompany.Benchmarks;

/// <summary>A forward agent that skips its model call, to measure what the call path costs.</summary>
/// <remarks>It hands the inner agent a context whose chat client answers nothing, so the outcome is the inner agent's own.</remarks>
internal sealed class SilentForwardAgent(IAgent inner) : IAgent
{
    public AgentRole Role => inner.Role;

    public Task<AgentOutcome> ExecuteAsync(AgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var silent = new AgentContext
        {
            WorkItem = context.WorkItem,
            Project = context.Project,
            ChatClient = NoModel.Instance,
            Workspace = context.Workspace,
            TimeProvider = context.TimeProvider,
            Logger = context.Logger,
            Services = context.Services,
        };
        return inner.ExecuteAsync(silent, cancellationToken);
    }
}
