namespace VirtualItCompany;

/// <summary>An item on the work queue and its state there (see <see cref="IAddressableWorkQueue"/>).</summary>
/// <param name="Item">The work item.</param>
/// <param name="AvailableAt">When it may be leased: when it was enqueued, or its retry time.</param>
/// <param name="LeaseExpiresAt">When its current lease lapses, or <see langword="null"/> when no lease was taken since it became available.</param>
public sealed record QueuedWorkItem(WorkItem Item, DateTimeOffset AvailableAt, DateTimeOffset? LeaseExpiresAt)
{
    /// <summary>Tells whether a live lease holds the item at a time.</summary>
    /// <param name="now">The time.</param>
    /// <returns><see langword="true"/> when a lease on it has not lapsed at <paramref name="now"/>.</returns>
    public bool IsLeasedAt(DateTimeOffset now) => LeaseExpiresAt is { } expires && expires > now;
}
