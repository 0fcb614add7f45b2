namespace VirtualItCompany.Lifecycle;

/// <summary>A stage of a lifecycle, the roles that work in it, and how its work is split.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Roles">The roles that get work items when the stage is entered; empty for a terminal stage.</param>
/// <param name="FanOut">How each role's work is split into items (one per planned feature, say); <see langword="null"/> for one item per role.</param>
public sealed record StageDefinition(LifecycleStage Stage, IReadOnlyList<AgentRole> Roles, StageFanOut? FanOut = null)
{
    /// <summary>Gets whether finishing this stage addresses the changes requested so far (by code review or the client), as feature development does; they are then cleared.</summary>
    public bool AddressesRequestedChanges { get; init; }
}
