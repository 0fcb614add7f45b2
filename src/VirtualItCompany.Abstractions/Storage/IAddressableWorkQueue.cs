namespace VirtualItCompany;

/// <summary>
/// A work queue whose items can also be leased and looked up by id, so that a delivery path outside the store (a Redis
/// stream fed from the store's <see cref="IOutbox"/>) can hand a worker an item's id and the store, still authoritative,
/// leases exactly that item under its fencing rules.
/// </summary>
/// <remarks>
/// The rules are those of <see cref="IWorkQueue"/>: a lease gets a new, larger fencing token and counts as an attempt; an item
/// is available when its retry time has come and no live lease holds it.
/// </remarks>
public interface IAddressableWorkQueue : IWorkQueue
{
    /// <summary>Leases one item if it is available now: on the queue, its retry time come, no live lease on it and its role not excluded.</summary>
    /// <param name="workItemId">The item's id.</param>
    /// <param name="request">The worker, the lease duration and the roles it has no capacity for.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease, or <see langword="null"/> when the item is not available now (see <see cref="FindAsync"/> for why).</returns>
    ValueTask<WorkLease?> TryLeaseItemAsync(string workItemId, LeaseRequest request, CancellationToken cancellationToken = default);

    /// <summary>Finds an item on the queue.</summary>
    /// <param name="workItemId">The item's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The item and its state, or <see langword="null"/> when it is not on the queue (settled, never enqueued, or set aside).</returns>
    ValueTask<QueuedWorkItem?> FindAsync(string workItemId, CancellationToken cancellationToken = default);

    /// <summary>Lists every item on the queue, oldest first: waiting, waiting for its retry time, and leased.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The items.</returns>
    IAsyncEnumerable<QueuedWorkItem> ListQueuedAsync(CancellationToken cancellationToken = default);
}
