using System.Diagnostics.CodeAnalysis;

namespace VirtualItCompany.Lifecycle;

/// <summary>A delivery lifecycle as data: its stages, the roles that work in each, and the transitions between them.</summary>
/// <remarks>Create one with <see cref="CreateBuilder"/>, or start from <see cref="Default"/>. Run it with a <see cref="LifecycleEngine"/>.</remarks>
public sealed class LifecycleDefinition
{
    private readonly Dictionary<LifecycleStage, StageDefinition> _stagesByName;
    private readonly Dictionary<LifecycleStage, int> _distance = [];

    internal LifecycleDefinition(
        string name,
        LifecycleStage initialStage,
        IReadOnlyList<StageDefinition> stages,
        IReadOnlySet<LifecycleStage> terminalStages,
        IReadOnlyList<LifecycleTransition> transitions,
        LifecycleClientActions clientActions)
    {
        Name = name;
        InitialStage = initialStage;
        Stages = stages;
        TerminalStages = terminalStages;
        Transitions = transitions;
        ClientActions = clientActions;
        _stagesByName = [];
        foreach (var stage in stages)
        {
            _stagesByName.TryAdd(stage.Stage, stage);
        }

        // How far each stage is from the start (fewest transitions); loops are measured by it.
        var frontier = new Queue<LifecycleStage>([initialStage]);
        _distance[initialStage] = 0;
        while (frontier.TryDequeue(out var stage))
        {
            foreach (var t in transitions)
            {
                if (t.From == stage && _distance.TryAdd(t.To, _distance[stage] + 1))
                {
                    frontier.Enqueue(t.To);
                }
            }
        }
    }

    /// <summary>Gets the default delivery lifecycle, from requirements analysis to a completed project.</summary>
    public static LifecycleDefinition Default { get; } = DefaultLifecycle.Create();

    /// <summary>Gets the name of the lifecycle.</summary>
    public string Name { get; }

    /// <summary>Gets the stage every project starts in.</summary>
    public LifecycleStage InitialStage { get; }

    /// <summary>Gets the stages in which a project is finished.</summary>
    public IReadOnlySet<LifecycleStage> TerminalStages { get; }

    /// <summary>Gets every stage, in the order it was declared.</summary>
    public IReadOnlyList<StageDefinition> Stages { get; }

    /// <summary>Gets every permitted transition, in the order it was declared.</summary>
    public IReadOnlyList<LifecycleTransition> Transitions { get; }

    /// <summary>Gets which trigger each of the client's actions (answer, approval, change request) fires.</summary>
    public LifecycleClientActions ClientActions { get; }

    /// <summary>Starts a new lifecycle definition.</summary>
    /// <param name="name">The name of the lifecycle; not empty or white space.</param>
    /// <param name="initialStage">The stage every project starts in; declare it on the builder too.</param>
    /// <returns>A builder to declare the stages and transitions with.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space, or <paramref name="initialStage"/> has no name.</exception>
    public static LifecycleDefinitionBuilder CreateBuilder(string name, LifecycleStage initialStage) => new(name, initialStage);

    /// <summary>Gets the definition of a declared stage.</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>The definition of <paramref name="stage"/>.</returns>
    /// <exception cref="KeyNotFoundException"><paramref name="stage"/> is not declared in this lifecycle.</exception>
    public StageDefinition GetStage(LifecycleStage stage) =>
        _stagesByName.TryGetValue(stage, out var definition)
            ? definition
            : throw new KeyNotFoundException(
                $"Stage '{stage}' is not declared in lifecycle '{Name}'. Declared stages: {DescribeStages()}. " +
                "Declare it with Stage(...) or Terminal(...) on the lifecycle builder, or use one of the declared stages.");

    /// <summary>Gets the definition of a stage, if it is declared.</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="definition">The definition of <paramref name="stage"/>, or <see langword="null"/> when it is not declared.</param>
    /// <returns><see langword="true"/> when <paramref name="stage"/> is declared in this lifecycle.</returns>
    public bool TryGetStage(LifecycleStage stage, [NotNullWhen(true)] out StageDefinition? definition) =>
        _stagesByName.TryGetValue(stage, out definition);

    /// <summary>Says whether a transition is a loop: it goes back to a stage no farther from the initial stage than the one it leaves (review sending work back to development, a stage entered again). Loops are counted per project and bounded.</summary>
    /// <param name="from">The stage left.</param>
    /// <param name="to">The stage entered.</param>
    /// <returns><see langword="true"/> for a loop.</returns>
    public bool IsLoop(LifecycleStage from, LifecycleStage to) =>
        _distance.TryGetValue(to, out int toDistance) && _distance.TryGetValue(from, out int fromDistance) && toDistance <= fromDistance;

    /// <summary>Starts a builder holding this lifecycle's stages, transitions and client actions, to derive a new lifecycle from it (insert a stage, re-route a trigger, remove a stage).</summary>
    /// <param name="name">The new lifecycle's name; <see langword="null"/> keeps this one's.</param>
    /// <returns>The builder.</returns>
    public LifecycleDefinitionBuilder ToBuilder(string? name = null) => LifecycleDefinitionBuilder.From(this, name ?? Name);

    /// <summary>Checks the lifecycle and lists every problem found.</summary>
    /// <returns>Each problem as a sentence; empty when the lifecycle is valid.</returns>
    public IReadOnlyList<string> GetProblems() => LifecycleValidator.Validate(this);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Stages.Count} stages, {Transitions.Count} transitions)";

    private string DescribeStages() =>
        Stages.Count == 0 ? "none" : string.Join(", ", Stages.Select(s => s.Stage.Value));
}
