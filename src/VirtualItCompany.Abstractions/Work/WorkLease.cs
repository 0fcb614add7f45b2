namespace VirtualItCompany;

/// <summary>A worker's time-limited claim on a work item; the token fences the commit that settles it.</summary>
/// <param name="Item">The leased work item.</param>
/// <param name="Token">The fencing token, increasing with every lease the queue hands out: a commit or renewal with a token that is no longer the item's current one is refused with <see cref="LeaseLostException"/>.</param>
/// <param name="WorkerId">The worker that holds the lease.</param>
/// <param name="ExpiresAt">When the lease lapses and the item may be given to another worker.</param>
/// <param name="Attempt">Which try of the item this is, from 1: every lease of the item counts (a lease that lapsed too), except one given back with <see cref="IWorkQueue.ReleaseAsync"/>. The queue keeps this count; it is the only copy.</param>
public sealed record WorkLease(WorkItem Item, long Token, string WorkerId, DateTimeOffset ExpiresAt, int Attempt = 1);
