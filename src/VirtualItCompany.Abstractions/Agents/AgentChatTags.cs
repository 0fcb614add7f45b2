namespace VirtualItCompany;

/// <summary>Keys of <c>ChatOptions.AdditionalProperties</c> for a call's routing hints (complexity, specialization, latency, attempt), and the names of the runtime's telemetry tags. The work item a call is made for travels typed, as a <see cref="ModelCallContext"/>.</summary>
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



    /// <summary>Whether the call is latency-critical (bool): the router then takes the fastest model that qualifies.</summary>
    public const string LatencyCritical = "vic.latency_critical";

    /// <summary>What the call is about (string): <c>code</c> prefers code-capable models, <c>analysis</c> strong reasoners.</summary>
    public const string Specialization = "vic.specialization";
}
