namespace VirtualItCompany.Runtime;

/// <summary>What a decision commits: events, the work items they schedule, and whether the leased item is retried.</summary>
/// <param name="Events">The events, in order.</param>
/// <param name="Enqueue">The work items to put on the queue.</param>
internal sealed record WorkPlan(List<ProjectEvent> Events, List<WorkItem> Enqueue)
{
    /// <summary>Gets or sets when the leased item is tried again; <see langword="null"/> settles the lease by removing the item.</summary>
    public DateTimeOffset? RetryAt { get; set; }

    /// <summary>Gets or sets the budget operations the commit carries (a store that applies them does so in the commit's transaction; otherwise <see cref="CommitWriter"/> makes them through the account right after).</summary>
    public IReadOnlyList<BudgetOperation> Budget { get; set; } = [];
}
