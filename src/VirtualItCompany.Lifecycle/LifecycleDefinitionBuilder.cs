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
    private readonly List<LifecycleStage> _addressingChanges = [];
    private LifecycleClientActions _clientActions = LifecycleClientActions.Default;

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
    public LifecycleDefinitionBuilder Stage(LifecycleStage stage, params AgentRole[] roles) => AddStage(stage, roles, fanOut: null);

    /// <summary>Declares a stage in which each role gets one work item per planned feature, as developers do in feature development.</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="roles">The roles that work in the stage; at least one.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="stage"/> or one of <paramref name="roles"/> has no name.</exception>
    public LifecycleDefinitionBuilder FanOutStage(LifecycleStage stage, params AgentRole[] roles) => AddStage(stage, roles, StageFanOut.PerPlannedFeature);

    /// <summary>Declares a stage in which each role gets one work item per subject that <paramref name="fanOut"/> finds in the project.</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="fanOut">How the work is split.</param>
    /// <param name="roles">The roles that work in the stage; at least one.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="stage"/> or one of <paramref name="roles"/> has no name.</exception>
    public LifecycleDefinitionBuilder FanOutStage(LifecycleStage stage, StageFanOut fanOut, params AgentRole[] roles)
    {
        ArgumentNullException.ThrowIfNull(fanOut);
        return AddStage(stage, roles, fanOut);
    }

    /// <summary>Says that finishing <paramref name="stage"/> addresses the changes requested so far (by code review or the client), as feature development does in the default lifecycle; they are cleared when the project leaves it.</summary>
    /// <param name="stage">A declared stage.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="stage"/> has no name.</exception>
    public LifecycleDefinitionBuilder AddressRequestedChangesIn(LifecycleStage stage)
    {
        ThrowIfUnnamed(stage.Value, nameof(stage));
        if (!_addressingChanges.Contains(stage))
        {
            _addressingChanges.Add(stage);
        }

        return this;
    }

    /// <summary>Sets which trigger each of the client's actions fires.</summary>
    /// <param name="clientActions">The triggers; <see cref="LifecycleClientActions.Default"/> unless set.</param>
    /// <returns>This builder.</returns>
    public LifecycleDefinitionBuilder WithClientActions(LifecycleClientActions clientActions)
    {
        ArgumentNullException.ThrowIfNull(clientActions);
        _clientActions = clientActions;
        return this;
    }

    /// <summary>Removes a stage and every transition into or out of it (to derive a lifecycle from another).</summary>
    /// <param name="stage">The stage; nothing happens when it is not declared.</param>
    /// <returns>This builder.</returns>
    public LifecycleDefinitionBuilder RemoveStage(LifecycleStage stage)
    {
        _stages.RemoveAll(s => s.Stage == stage);
        _terminalStages.Remove(stage);
        _addressingChanges.Remove(stage);
        _transitions.RemoveAll(t => t.From == stage || t.To == stage);
        return this;
    }

    /// <summary>Removes the transitions a trigger makes from a stage, so it can be permitted towards another stage.</summary>
    /// <param name="from">The stage.</param>
    /// <param name="trigger">The trigger.</param>
    /// <returns>This builder.</returns>
    public LifecycleDefinitionBuilder Forbid(LifecycleStage from, LifecycleTrigger trigger)
    {
        _transitions.RemoveAll(t => t.From == from && t.Trigger == trigger);
        return this;
    }

    /// <summary>Sends a trigger from a stage to another stage instead of where it led: <see cref="Forbid"/> then <see cref="Permit"/>.</summary>
    /// <param name="from">The stage the project is in.</param>
    /// <param name="trigger">What happened.</param>
    /// <param name="to">The stage the project now moves to.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="from"/>, <paramref name="trigger"/> or <paramref name="to"/> has no name.</exception>
    public LifecycleDefinitionBuilder Reroute(LifecycleStage from, LifecycleTrigger trigger, LifecycleStage to) => Forbid(from, trigger).Permit(from, trigger, to);

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
        var problems = new List<string>(definition.GetProblems());
        foreach (var stage in _addressingChanges)
        {
            if (!definition.TryGetStage(stage, out _))
            {
                problems.Add($"Requested changes are to be addressed in stage '{stage}', which is not declared; declare it or drop AddressRequestedChangesIn(...).");
            }
        }

        return problems.Count == 0 ? definition : throw new InvalidLifecycleException(_name, problems);
    }

    /// <summary>Creates the definition without checking it, so tests can hand an invalid one to the engine.</summary>
    internal LifecycleDefinition BuildUnchecked() =>
        new(
            _name,
            _initialStage,
            _stages.Select(s => _addressingChanges.Contains(s.Stage) ? s with { AddressesRequestedChanges = true } : s).ToArray().AsReadOnly(),
            _terminalStages.ToFrozenSet(),
            _transitions.ToArray().AsReadOnly(),
            _clientActions);

    internal static LifecycleDefinitionBuilder From(LifecycleDefinition definition, string name)
    {
        var builder = new LifecycleDefinitionBuilder(name, definition.InitialStage) { _clientActions = definition.ClientActions };
        foreach (var stage in definition.Stages)
        {
            builder._stages.Add(stage with { AddressesRequestedChanges = false });
            if (stage.AddressesRequestedChanges)
            {
                builder._addressingChanges.Add(stage.Stage);
            }
        }

        builder._terminalStages.UnionWith(definition.TerminalStages);
        builder._transitions.AddRange(definition.Transitions);
        return builder;
    }

    private LifecycleDefinitionBuilder AddStage(LifecycleStage stage, AgentRole[] roles, StageFanOut? fanOut)
    {
        ThrowIfUnnamed(stage.Value, nameof(stage));
        ArgumentNullException.ThrowIfNull(roles);
        foreach (var role in roles)
        {
            ThrowIfUnnamed(role.Value, nameof(roles));
        }

        _stages.Add(new StageDefinition(stage, roles.ToArray().AsReadOnly(), fanOut));
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
