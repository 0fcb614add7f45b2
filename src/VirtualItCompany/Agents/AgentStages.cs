namespace VirtualItCompany.Agents;

/// <summary>Outcomes the agents share.</summary>
internal static class AgentStages
{
    /// <summary>The model's answer could not be used: another try may do better.</summary>
    public static AgentOutcome InvalidAnswer(string what, string problem) =>
        AgentOutcome.Failed($"{what}: {problem}", retryable: true);
}
