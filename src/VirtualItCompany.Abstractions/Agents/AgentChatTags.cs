namespace VirtualItCompany;

/// <summary>Keys of <c>ChatOptions.AdditionalProperties</c> with which the runtime tags every model call of an agent, so routers and meters see them.</summary>
public static class AgentChatTags
{
    /// <summary>The project id (string).</summary>
    public const string ProjectId = "vic.project_id";

    /// <summary>The lifecycle stage (string).</summary>
    public const string Stage = "vic.stage";

    /// <summary>The role (string).</summary>
    public const string Role = "vic.role";

    /// <summary>The work item id (string).</summary>
    public const string WorkItemId = "vic.work_item_id";

    /// <summary>The complexity of the call, 1 to 10 (int).</summary>
    public const string Complexity = "vic.complexity";

    /// <summary>How many times the work item failed before (int); a router routes a retried item one tier up.</summary>
    public const string Attempt = "vic.attempt";

    /// <summary>The project's budget, in US dollars (decimal).</summary>
    public const string BudgetLimit = "vic.budget_limit";

    /// <summary>What the project had spent when the work item started, in US dollars (decimal).</summary>
    public const string BudgetSpent = "vic.budget_spent";

    /// <summary>Whether the call is latency-critical (bool): the router then takes the fastest model that qualifies.</summary>
    public const string LatencyCritical = "vic.latency_critical";

    /// <summary>What the call is about (string): <c>code</c> prefers code-capable models, <c>analysis</c> strong reasoners.</summary>
    public const string Specialization = "vic.specialization";
}
