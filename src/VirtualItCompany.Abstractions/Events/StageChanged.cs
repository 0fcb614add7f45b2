namespace VirtualItCompany;

/// <summary>The project moved from one lifecycle stage to another.</summary>
/// <param name="From">The stage left.</param>
/// <param name="Trigger">What moved the project.</param>
/// <param name="To">The stage entered.</param>
public sealed record StageChanged(LifecycleStage From, LifecycleTrigger Trigger, LifecycleStage To) : ProjectEvent
{
    /// <summary>Gets whether the lifecycle counts this transition as a loop (it goes back, e.g. review sends the work back to development); loops are counted per (from, trigger) and bounded.</summary>
    public bool IsLoop { get; init; }

    /// <summary>Gets whether leaving <see cref="From"/> addressed the changes requested so far (the stage that does requested changes was finished).</summary>
    public bool AddressesRequestedChanges { get; init; }

    /// <inheritdoc />
    public override string Description => $"{From} -> {To} ({Trigger})";
}
