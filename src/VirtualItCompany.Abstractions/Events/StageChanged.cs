namespace VirtualItCompany;

/// <summary>The project moved from one lifecycle stage to another.</summary>
/// <param name="From">The stage left.</param>
/// <param name="Trigger">What moved the project.</param>
/// <param name="To">The stage entered.</param>
public sealed record StageChanged(LifecycleStage From, LifecycleTrigger Trigger, LifecycleStage To) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"{From} -> {To} ({Trigger})";
}
