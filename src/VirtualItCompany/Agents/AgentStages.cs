namespace VirtualItCompany.Agents;

/// <summary>Outcomes the agents share.</summary>
internal static class AgentStages
{
    /// <summary>The agent was given a stage it does not work in: trying again will not help.</summary>
    public static AgentOutcome Unsupported(IAgent agent, LifecycleStage stage, params LifecycleStage[] handled) =>
        AgentOutcome.Failed(
            $"The {agent.Role} agent does not work in the {stage} stage; it handles {string.Join(", ", handled.Select(s => s.Value))}.",
            retryable: false);

    /// <summary>The model's answer could not be used: another try may do better.</summary>
    public static AgentOutcome InvalidAnswer(string what, string problem) =>
        AgentOutcome.Failed($"{what}: {problem}", retryable: true);
}
