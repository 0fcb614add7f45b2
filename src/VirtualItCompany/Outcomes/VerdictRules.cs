using VirtualItCompany.Lifecycle;

namespace VirtualItCompany.Outcomes;

/// <summary>
/// Which transitions of a lifecycle are verdicts on work, read from its definition: a stage that can send the project back
/// to an earlier stage (code review, tests, client review, monitoring in the default lifecycle) judges the work of the
/// stages it can send it back to. Leaving it forward accepts that work; sending it back (or an escalation that holds the
/// send-back for a human at the loop bound) sends back the work of the stage it returns to.
/// </summary>
internal sealed class VerdictRules
{
    private readonly Dictionary<LifecycleStage, HashSet<LifecycleStage>> _judged = [];
    private readonly Dictionary<(LifecycleStage From, LifecycleTrigger Trigger), LifecycleStage> _targets = [];

    public VerdictRules(LifecycleDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        foreach (var transition in definition.Transitions)
        {
            _targets[(transition.From, transition.Trigger)] = transition.To;
            if (transition.From != transition.To && definition.IsLoop(transition.From, transition.To))
            {
                if (!_judged.TryGetValue(transition.From, out var stages))
                {
                    _judged[transition.From] = stages = [];
                }

                stages.Add(transition.To);
                JudgedStages.Add(transition.To);
            }
        }
    }

    /// <summary>The stages that give verdicts.</summary>
    public IEnumerable<LifecycleStage> VerdictStages => _judged.Keys;

    /// <summary>Every stage some verdict judges: only their model calls are kept.</summary>
    public HashSet<LifecycleStage> JudgedStages { get; } = [];

    /// <summary>The stages a verdict given in <paramref name="stage"/> judges; <see langword="null"/> when the stage gives no verdict.</summary>
    public IReadOnlySet<LifecycleStage>? JudgedBy(LifecycleStage stage) => _judged.GetValueOrDefault(stage);

    /// <summary>Where a trigger in a stage leads; <see langword="null"/> when the lifecycle has no such transition.</summary>
    public LifecycleStage? Target(LifecycleStage from, LifecycleTrigger trigger) => _targets.TryGetValue((from, trigger), out var to) ? to : null;
}
