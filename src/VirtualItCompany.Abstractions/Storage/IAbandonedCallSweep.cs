namespace VirtualItCompany;

/// <summary>
/// Implemented by a store whose <see cref="IModelCallJournal"/> and budget account (<see cref="IBudgetCommitStore.BudgetAccount"/>)
/// share its transactions: charges the reservations a work item left open and journals each in one transaction.
/// </summary>
/// <remarks>
/// A try that finds reservations left open (a call cut off by a crash, a stream never read to its end) charges them in full
/// (<see cref="IBudgetAccount.SettleOwnerAsync"/>) and journals each, so that the next try accounts for it if this one is never
/// committed. Made as two writes, a crash between them leaves spend that no record, and so no event, accounts for. The runtime
/// uses this method instead of the two writes when the registered store implements it over the company's account.
/// </remarks>
public interface IAbandonedCallSweep
{
    /// <summary>
    /// If <paramref name="leaseToken"/> is still the work item's current, unexpired lease: charges at their full amount the
    /// reservations owned by <paramref name="workItemId"/> that are still open and stores <paramref name="record"/>'s record of
    /// each (as <see cref="IModelCallJournal.RecordAsync"/> would, a record with the same key already stored being kept), all in
    /// one transaction. Otherwise it changes nothing: the try that holds the item sweeps them.
    /// </summary>
    /// <remarks>
    /// What was charged is read back from the journal (the records under <paramref name="leaseToken"/>), not returned: a store
    /// that runs a transaction again after its reply was lost finds nothing left open the second time.
    /// </remarks>
    /// <param name="workItemId">The work item, the owner of the reservations.</param>
    /// <param name="leaseToken">The fencing token of the caller's lease on the item.</param>
    /// <param name="record">Makes the journal record of a charged reservation; its lease token must be <paramref name="leaseToken"/>.</param>
    /// <param name="cancellationToken">Cancels the sweep; then all of it or none of it is stored.</param>
    /// <returns><see langword="true"/> when the lease was the item's (and what was open is charged and journaled); <see langword="false"/> when it no longer is.</returns>
    ValueTask<bool> SweepAbandonedAsync(string workItemId, long leaseToken, Func<BudgetReservation, ModelCallRecord> record, CancellationToken cancellationToken = default);
}
