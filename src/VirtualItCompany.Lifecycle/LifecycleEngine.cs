using System.Collections.Frozen;
using Stateless;
using Stateless.Graph;
using Stateless.Reflection;

namespace VirtualItCompany.Lifecycle;

/// <summary>Runs a lifecycle definition: says which triggers a stage permits and which stage a trigger leads to.</summary>
/// <remarks>
/// The engine keeps no project state: pass the stage a project is in and get the next one back, so one engine
/// serves every project. It is safe to use from many threads at once.
/// </remarks>
public sealed class LifecycleEngine
{
    private readonly StateMachine<LifecycleStage, LifecycleTrigger> _machine;
    private readonly Lock _machineGate = new();
    private readonly FrozenDictionary<LifecycleStage, StageRoutes> _routes;
    private readonly string _mermaid;

    // The machine reads and writes the stage here, so one machine can fire for any project's stage.
    private LifecycleStage _machineStage;

    /// <summary>Creates an engine for a lifecycle definition.</summary>
    /// <param name="definition">The lifecycle to run.</param>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidLifecycleException"><paramref name="definition"/> has problems; the exception lists every one.</exception>
    public LifecycleEngine(LifecycleDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var problems = definition.GetProblems();
        if (problems.Count > 0)
        {
            throw new InvalidLifecycleException(definition.Name, problems);
        }

        Definition = definition;
        _machineStage = definition.InitialStage;
        _machine = new StateMachine<LifecycleStage, LifecycleTrigger>(() => _machineStage, stage => _machineStage = stage, FiringMode.Immediate);
        foreach (var stage in definition.Stages)
        {
            _machine.Configure(stage.Stage);
        }

        foreach (var transition in definition.Transitions)
        {
            var configuration = _machine.Configure(transition.From);
            if (transition.From == transition.To)
            {
                configuration.PermitReentry(transition.Trigger);
            }
            else
            {
                // The declared spelling of the target, so Fire returns stages exactly as the definition names them.
                configuration.Permit(transition.Trigger, definition.GetStage(transition.To).Stage);
            }
        }

        // With the stage at its initial value, the machine's description starts where projects start.
        var info = _machine.GetInfo();
        _routes = BuildRoutes(definition, info);
        _mermaid = MermaidGraph.Format(info);
    }

    /// <summary>Gets the lifecycle this engine runs.</summary>
    public LifecycleDefinition Definition { get; }

    /// <summary>Tells whether a trigger is permitted in a stage.</summary>
    /// <param name="stage">The stage the project is in.</param>
    /// <param name="trigger">The trigger to fire.</param>
    /// <returns><see langword="true"/> when <see cref="Fire"/> would move the project on; <see langword="false"/> when the trigger is not permitted or the stage is not declared.</returns>
    public bool CanFire(LifecycleStage stage, LifecycleTrigger trigger) =>
        _routes.TryGetValue(stage, out var routes) && routes.Next.ContainsKey(trigger);

    /// <summary>Fires a trigger in a stage and returns the stage the project moves to.</summary>
    /// <param name="stage">The stage the project is in.</param>
    /// <param name="trigger">What happened.</param>
    /// <returns>The next stage; equal to <paramref name="stage"/> for a transition that re-enters its stage.</returns>
    /// <exception cref="ArgumentException"><paramref name="stage"/> is not declared in the lifecycle.</exception>
    /// <exception cref="InvalidTransitionException"><paramref name="trigger"/> is not permitted in <paramref name="stage"/>; the exception lists the triggers that are.</exception>
    public LifecycleStage Fire(LifecycleStage stage, LifecycleTrigger trigger)
    {
        var routes = GetRoutes(stage);
        if (!routes.Next.ContainsKey(trigger))
        {
            throw new InvalidTransitionException(stage, trigger, routes.Permitted);
        }

        lock (_machineGate)
        {
            _machineStage = stage;
            _machine.Fire(trigger);
            return _machineStage;
        }
    }

    /// <summary>Gets the triggers a stage permits, in the order their transitions were declared.</summary>
    /// <param name="stage">The stage the project is in.</param>
    /// <returns>The permitted triggers; empty for a terminal stage.</returns>
    /// <exception cref="ArgumentException"><paramref name="stage"/> is not declared in the lifecycle.</exception>
    public IReadOnlyList<LifecycleTrigger> GetPermittedTriggers(LifecycleStage stage) => GetRoutes(stage).Permitted;

    /// <summary>Tells whether a project in a stage is finished.</summary>
    /// <param name="stage">The stage the project is in.</param>
    /// <returns><see langword="true"/> when <paramref name="stage"/> is a terminal stage of the lifecycle.</returns>
    public bool IsTerminal(LifecycleStage stage) => _routes.TryGetValue(stage, out var routes) && routes.IsTerminal;

    /// <summary>Describes the lifecycle as a Mermaid state diagram.</summary>
    /// <returns>The Mermaid text, starting at the initial stage.</returns>
    public string ToMermaid() => _mermaid;

    private StageRoutes GetRoutes(LifecycleStage stage) =>
        _routes.TryGetValue(stage, out var routes)
            ? routes
            : throw new ArgumentException(
                $"Stage '{stage}' is not declared in lifecycle '{Definition.Name}'. Declared stages: {string.Join(", ", Definition.Stages.Select(s => s.Stage.Value))}.",
                nameof(stage));

    // The routes come from the configured machine itself, so queries answer exactly what Fire will do.
    private static FrozenDictionary<LifecycleStage, StageRoutes> BuildRoutes(LifecycleDefinition definition, StateMachineInfo info)
    {
        var routes = new Dictionary<LifecycleStage, StageRoutes>();
        foreach (var state in info.States)
        {
            var stage = (LifecycleStage)state.UnderlyingState;
            var next = new Dictionary<LifecycleTrigger, LifecycleStage>();
            var permitted = new List<LifecycleTrigger>();
            foreach (var transition in state.FixedTransitions)
            {
                var trigger = (LifecycleTrigger)transition.Trigger.UnderlyingTrigger;
                if (next.TryAdd(trigger, (LifecycleStage)transition.DestinationState.UnderlyingState))
                {
                    permitted.Add(trigger);
                }
            }

            routes[stage] = new StageRoutes(next.ToFrozenDictionary(), permitted.ToArray().AsReadOnly(), definition.TerminalStages.Contains(stage));
        }

        return routes.ToFrozenDictionary();
    }
}
