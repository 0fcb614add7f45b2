namespace VirtualItCompany;

/// <summary>
/// The durable record of the model calls a running work item has completed, so that when the item is delivered again
/// (its worker crashed, hung or stopped) those calls are answered from the record instead of being made and paid again.
/// </summary>
/// <remarks>
/// <para>
/// The cost-aware router writes a record when a call completes, <em>before</em> it settles the call's budget reservation, and
/// looks a call up before it routes it: a call whose <see cref="ModelCallRecord.CallKey"/> is recorded for the item is
/// answered from the record at no charge (a <see cref="ModelChargeKind.Replayed"/> charge of zero), and its reservation, if a
/// crash left it open, is settled at the recorded cost. The commit that settles the item's lease turns every record an
/// earlier try paid for (<see cref="ModelCallRecord.LeaseToken"/> not the current lease's) into a
/// <see cref="ModelCallCompleted"/> event, so the events account for every amount the budget holds, exactly once.
/// </para>
/// <para>
/// The runtime and the router use the journal when the registered <see cref="IProjectStore"/> implements this interface too
/// (the store's commit is what removes records, so a journal apart from the store could never be pruned). A store that
/// implements this interface removes an item's records in the same transaction as the
/// <see cref="IProjectStore.CommitAsync"/> that settles the item's lease (<see cref="ProjectCommit.CompletesLease"/>), whether
/// the item completed or is retried: a retry is a new try and must not be answered from the failed one.
/// </para>
/// </remarks>
public interface IModelCallJournal
{
    /// <summary>Finds the record of a call of a work item.</summary>
    /// <param name="workItemId">The work item's id.</param>
    /// <param name="callKey">The call's key: a fingerprint of the request and how many identical requests the item made before it.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The record, or <see langword="null"/> when the call was not recorded.</returns>
    ValueTask<ModelCallRecord?> FindAsync(string workItemId, string callKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the record of a completed call durably, if the lease it names (<see cref="ModelCallRecord.LeaseToken"/>) is
    /// still the item's current, unexpired lease; a record with the same item and key already stored is kept.
    /// </summary>
    /// <remarks>
    /// The lease check is a fence, as for commits: once another try holds the item, a late record of the earlier try is
    /// refused (the earlier try then commits that charge itself), so no record can appear after the try that holds the
    /// item listed the records it accounts for.
    /// </remarks>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the call; then the record may or may not be stored.</param>
    /// <returns><see langword="true"/> when the record was stored; <see langword="false"/> when one with its item and key was already there, or its lease is no longer the item's.</returns>
    ValueTask<bool> RecordAsync(ModelCallRecord record, CancellationToken cancellationToken = default);

    /// <summary>Lists the records of a work item, in the order they were recorded.</summary>
    /// <param name="workItemId">The work item's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records; empty when there are none.</returns>
    ValueTask<IReadOnlyList<ModelCallRecord>> ListAsync(string workItemId, CancellationToken cancellationToken = default);
}
