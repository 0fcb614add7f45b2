namespace VirtualItCompany;

/// <summary>A work item was set aside until the project is resumed.</summary>
/// <param name="Item">The parked item.</param>
/// <param name="Reason">Why it was parked.</param>
public sealed record WorkItemParked(WorkItem Item, string Reason) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"Parked {Item.DisplayName}: {Reason}";
}
