namespace VirtualItCompany.Runtime;

/// <summary>Finds the agent for a role: the last one registered for it wins, so registering an agent replaces a built-in one.</summary>
internal sealed class AgentDirectory
{
    private readonly Dictionary<AgentRole, IAgent> _agents = [];

    public AgentDirectory(IEnumerable<IAgent> agents)
    {
        foreach (var agent in agents)
        {
            _agents[agent.Role] = agent;
        }
    }

    public IAgent? Find(AgentRole role) => _agents.GetValueOrDefault(role);

    public IReadOnlyCollection<AgentRole> Roles => _agents.Keys;
}
