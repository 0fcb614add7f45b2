using VirtualItCompany.Lifecycle;

namespace VirtualItCompany.Runtime;

/// <summary>Checks, at start, that every stage of the lifecycle has an agent for each of its roles that works in it.</summary>
internal static class AgentCoverage
{
    public static IReadOnlyList<string> Check(LifecycleDefinition lifecycle, AgentDirectory agents)
    {
        var problems = new List<string>();
        foreach (var stage in lifecycle.Stages)
        {
            foreach (var role in stage.Roles)
            {
                var agent = agents.Find(role);
                if (agent is null)
                {
                    problems.Add($"Stage '{stage.Stage}' of lifecycle '{lifecycle.Name}' needs a '{role}' agent, and none is registered; add one with AddAgent<TAgent>() (roles with agents: {string.Join(", ", agents.Roles)}).");
                }
                else if (agent.SupportedStages is { } supported && !supported.Contains(stage.Stage))
                {
                    problems.Add($"The '{role}' agent ({agent.GetType().Name}) works in {string.Join(", ", supported)}, but lifecycle '{lifecycle.Name}' gives it stage '{stage.Stage}'; register an agent for '{role}' that handles it, or change the lifecycle.");
                }
            }
        }

        return problems;
    }
}
