using Microsoft.Extensions.Options;

namespace VirtualItCompany.Agents;

/// <summary>
/// The base of the built-in agents: a <see cref="StageAgent"/> that also validates and keeps the built-in agents'
/// <see cref="AgentOptions"/>. For an agent of your own, derive from <see cref="StageAgent"/> (or implement <see cref="IAgent"/>).
/// </summary>
public abstract class BuiltInAgent : StageAgent
{
    /// <summary>Creates the agent.</summary>
    /// <param name="options">The agents' options; validated here.</param>
    /// <param name="role">The role whose work items the agent does.</param>
    /// <param name="supportedStages">The stages the agent works in; at least one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="supportedStages"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">The options are not valid.</exception>
    /// <exception cref="ArgumentException"><paramref name="supportedStages"/> is empty.</exception>
    protected BuiltInAgent(IOptions<AgentOptions> options, AgentRole role, params LifecycleStage[] supportedStages)
        : base(role, supportedStages)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Value.Validate();
        Options = options.Value;
    }

    /// <summary>Gets the agents' options, validated when the agent was created.</summary>
    protected AgentOptions Options { get; }
}
