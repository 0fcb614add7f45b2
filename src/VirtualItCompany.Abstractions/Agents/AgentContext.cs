using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace VirtualItCompany;

/// <summary>Everything an agent is given for one work item.</summary>
public sealed class AgentContext
{
    /// <summary>Gets the work item to do.</summary>
    public required WorkItem WorkItem { get; init; }

    /// <summary>Gets the project as of the lease.</summary>
    public required ProjectSnapshot Project { get; init; }

    /// <summary>Gets the model client, already tagged with the project, stage, role and work item so that every call is metered and routed.</summary>
    public required IChatClient ChatClient { get; init; }

    /// <summary>Gets the project's workspace: its files, commands, git repository and deployments.</summary>
    public required IProjectWorkspace Workspace { get; init; }

    /// <summary>Gets the budget left for model calls, in US dollars.</summary>
    public decimal BudgetRemaining => Project.BudgetRemaining;

    /// <summary>Gets the clock to use.</summary>
    public required TimeProvider TimeProvider { get; init; }

    /// <summary>Gets the logger for this work item.</summary>
    public required ILogger Logger { get; init; }

    /// <summary>Gets the application's services.</summary>
    public required IServiceProvider Services { get; init; }
}
