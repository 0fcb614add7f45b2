using System.Collections.Frozen;

namespace VirtualItCompany.Lifecycle;

/// <summary>Declares the stages and transitions of a <see cref="LifecycleDefinition"/>.</summary>
/// <remarks>Get one from <see cref="LifecycleDefinition.CreateBuilder"/>. Nothing is checked until <see cref="Build"/>, which reports every problem at once.</remarks>
public sealed class LifecycleDefinitionBuilder
{
    private readonly string _name;
    private readonly LifecycleStage _initialStage;
    private readonly List<StageDefinition> _stages = [];
    private readonly HashSet<LifecycleStage> _terminalStages = [];
    private readonly List<LifecycleTransition> _transitions = [];

    internal LifecycleDefinitionBuilder(string name, LifecycleStage initialStage)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ThrowIfUnnamed(initialStage.Value, nameof(initialStage));
        _name = name;
        _initialStage = initialStage;
    }

    /// <summary>Declares a stage and the roles that get one work item each when it is entered.</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="roles">The roles that work in the stage; at least one.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="stage"/> or one of <paramref name="roles"/> has no name.</exception>
    public LifecycleDefinitionBuilder Stage(LifecycleStage stage, params AgentRole[] roles) => AddStage(stage, roles, fanOutPerFeature: false);

    /// <summary>Declares a stage in which each role gets one work item per planned feature, as developers do in feature development.</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="roles">The roles that work in the stage; at least one.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="stage"/> or one of <paramref name="roles"/> has no name.</exception>
    public LifecycleDefinitionBuilder FanOutStage(LifecycleStage stage, params AgentRole[] roles) => AddStage(stage, roles, fanOutPerFeature: true);

    /// <summary>Declares a stage in which a project is finished; no role works in it and no transition leaves it.</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="stage"/> has no name.</exception>
    public LifecycleDefinitionBuilder Terminal(LifecycleStage stage)
    {
        ThrowIfUnnamed(stage.Value, nameof(stage));
        _stages.Add(new StageDefinition(stage, []));
        _terminalStages.Add(stage);
        return this;
    }

    /// <summary>Permits a trigger to move a project from one stage to another, or back into the same stage.</summary>
    /// <param name="from">The stage the project is in.</param>
    /// <param name="trigger">What happened.</param>
    /// <param name="to">The stage the project moves to; may equal <paramref name="from"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="from"/>, <paramref name="trigger"/> or <paramref name="to"/> has no name.</exception>
    public LifecycleDefinitionBuilder Permit(LifecycleStage from, LifecycleTrigger trigger, LifecycleStage to)
    {
        ThrowIfUnnamed(from.Value, nameof(from));
        ThrowIfUnnamed(trigger.Value, nameof(trigger));
        ThrowIfUnnamed(to.Value, nameof(to));
        var transition = new LifecycleTransition(from, trigger, to);
        // Permitting the same transition twice says nothing new, so it is kept once.
        if (!_transitions.Contains(transition))
        {
            _transitions.Add(transition);
        }

        return this;
    }

    /// <summary>Checks the declarations and creates the lifecycle definition.</summary>
    /// <returns>The lifecycle definition.</returns>
    /// <exception cref="InvalidLifecycleException">The lifecycle has problems; the exception lists every one.</exception>
    public LifecycleDefinition Build()
    {
        var definition = BuildUnchecked();
        var problems = definition.GetProblems();
        return problems.Count == 0 ? definition : throw new InvalidLifecycleException(_name, problems);
    }

    /// <summary>Creates the definition without checking it, so tests can hand an invalid one to the engine.</summary>
    internal LifecycleDefinition BuildUnchecked() =>
        new(_name, _initialStage, _stages.ToArray().AsReadOnly(), _terminalStages.ToFrozenSet(), _transitions.ToArray().AsReadOnly());

    private LifecycleDefinitionBuilder AddStage(LifecycleStage stage, AgentRole[] roles, bool fanOutPerFeature)
    {
        ThrowIfUnnamed(stage.Value, nameof(stage));
        ArgumentNullException.ThrowIfNull(roles);
        foreach (var role in roles)
        {
            ThrowIfUnnamed(role.Value, nameof(roles));
        }

        _stages.Add(new StageDefinition(stage, roles.ToArray().AsReadOnly(), fanOutPerFeature));
        return this;
    }

    private static void ThrowIfUnnamed(string value, string parameterName)
    {
        if (value.Length == 0)
        {
            throw new ArgumentException("The value has no name; create it with its constructor or use a well-known instance.", parameterName);
        }
    }
}
