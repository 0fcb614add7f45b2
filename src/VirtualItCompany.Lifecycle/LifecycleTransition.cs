namespace VirtualItCompany.Lifecycle;

/// <summary>A permitted move between two stages of a lifecycle: in <paramref name="From"/>, <paramref name="Trigger"/> leads to <paramref name="To"/>.</summary>
/// <param name="From">The stage the project is in.</param>
/// <param name="Trigger">What happened.</param>
/// <param name="To">The stage the project moves to; equal to <paramref name="From"/> for a transition that re-enters its stage.</param>
public sealed record LifecycleTransition(LifecycleStage From, LifecycleTrigger Trigger, LifecycleStage To)
{
    /// <inheritdoc />
    public override string ToString() => $"{From} --{Trigger}--> {To}";
}
