namespace VirtualItCompany.Runtime;

/// <summary>What a decision commits: events and the work items they schedule.</summary>
/// <param name="Events">The events, in order.</param>
/// <param name="Enqueue">The work items to put on the queue.</param>
internal sealed record WorkPlan(List<ProjectEvent> Events, List<WorkItem> Enqueue);
