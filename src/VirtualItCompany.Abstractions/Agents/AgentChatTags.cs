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
}
