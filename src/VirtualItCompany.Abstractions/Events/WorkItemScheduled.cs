namespace VirtualItCompany;

/// <summary>A work item was put on the queue.</summary>
/// <param name="Item">The work item.</param>
public sealed record WorkItemScheduled(WorkItem Item) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"Scheduled {Item.DisplayName}";
}
