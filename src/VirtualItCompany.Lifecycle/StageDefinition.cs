namespace VirtualItCompany.Lifecycle;

/// <summary>A stage of a lifecycle and the roles that work in it.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Roles">The roles that get one work item each when the stage is entered; empty for a terminal stage.</param>
/// <param name="FanOutPerFeature">Whether each role gets one work item per planned feature instead of one in all, as developers do in feature development.</param>
public sealed record StageDefinition(LifecycleStage Stage, IReadOnlyList<AgentRole> Roles, bool FanOutPerFeature = false);
