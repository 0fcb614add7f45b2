namespace VirtualItCompany;

/// <summary>The durable queue of work items: workers lease items, and a commit through <see cref="IProjectStore"/> completes them.</summary>
/// <remarks>
/// Items are put on the queue only by <see cref="IProjectStore.CommitAsync"/>, so that scheduling work and recording why
/// are one atomic step; a commit that settles a lease removes the item or, with <see cref="ProjectCommit.RetryAt"/>,
/// makes it available again from that time. An item is leased to one worker at a time, oldest first. A lease that
/// lapses makes its item available again; every lease gets a new, larger fencing token and counts as an attempt
/// (<see cref="WorkLease.Attempt"/>), except after <see cref="ReleaseAsync"/>. Work set aside (parked, or failed past
/// its retries) is not on the queue: it lives in the project's snapshot until the runtime schedules it again.
/// </remarks>
public interface IWorkQueue
{
    /// <summary>Leases the oldest available item the worker can take, if any: one whose retry time has come and that no live lease holds.</summary>
    /// <param name="request">The worker, the lease duration and the roles it has capacity for.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease, or <see langword="null"/> when no item is available now.</returns>
    ValueTask<WorkLease?> TryLeaseAsync(LeaseRequest request, CancellationToken cancellationToken = default);

    /// <summary>Waits until new work may be available (a commit enqueued or retried an item, a lease was released, lapsed or a retry time came), or the wait times out.</summary>
    /// <param name="maxWait">The longest wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when it is worth trying to lease again.</returns>
    ValueTask WaitForWorkAsync(TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease the worker still holds.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="duration">How long from now it lasts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The renewed lease (same token).</returns>
    /// <exception cref="LeaseLostException">The lease expired or was superseded.</exception>
    ValueTask<WorkLease> RenewAsync(WorkLease lease, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives an item back without effect so that it can be leased again at once (e.g. when a worker stops); the attempt it was leased for does not count.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the item is back on the queue; a lost lease is ignored.</returns>
    ValueTask ReleaseAsync(WorkLease lease, CancellationToken cancellationToken = default);

    /// <summary>Counts the items on the queue: waiting (including those whose retry time has not come) or leased.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of items on the queue.</returns>
    ValueTask<long> CountAsync(CancellationToken cancellationToken = default);
}
