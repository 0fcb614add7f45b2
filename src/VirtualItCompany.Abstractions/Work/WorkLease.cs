namespace VirtualItCompany;

/// <summary>A worker's time-limited claim on a work item; the token fences the commit that completes it.</summary>
/// <param name="Item">The leased work item.</param>
/// <param name="Token">The fencing token: a commit with an older token is refused with <see cref="LeaseLostException"/>.</param>
/// <param name="WorkerId">The worker that holds the lease.</param>
/// <param name="ExpiresAt">When the lease lapses and the item may be given to another worker.</param>
public sealed record WorkLease(WorkItem Item, long Token, string WorkerId, DateTimeOffset ExpiresAt);
