namespace VirtualItCompany;

/// <summary>A worker's time-limited claim on a work item; the token fences the commit that settles it.</summary>
/// <param name="Item">The leased work item.</param>
/// <param name="Token">The fencing token, increasing with every lease the queue hands out: a commit or renewal with a token that is no longer the item's current one is refused with <see cref="LeaseLostException"/>.</param>
/// <param name="WorkerId">The worker that holds the lease.</param>
/// <param name="ExpiresAt">When the lease lapses and the item may be given to another worker.</param>
/// <param name="Attempt">Which try of the item this is, from 1: every lease of the item counts (a lease that lapsed too), except one given back with <see cref="IWorkQueue.ReleaseAsync"/>. The queue keeps this count; it is the only copy.</param>
public sealed record WorkLease(WorkItem Item, long Token, string WorkerId, DateTimeOffset ExpiresAt, int Attempt = 1)
{
    /// <summary>
    /// Gets the item's project as it was when the lease was taken, when the queue read it in the same step (a store that is
    /// also the queue may, to save the worker a read); <see langword="null"/> when it did not: then read it from the store.
    /// </summary>
    /// <value>
    /// The project's snapshot, committed no earlier than the lease was taken, or <see langword="null"/>. Like any snapshot
    /// read before a commit, it may be overtaken: the commit's expected version decides. A renewed lease keeps it as it was.
    /// </value>
    public ProjectSnapshot? Project { get; init; }

    /// <summary>
    /// Gets the item's model-call records (<see cref="IModelCallJournal.ListAsync"/>) as they were when the lease was taken,
    /// when the queue learned them in the same step (a store that is also the queue and the journal may, to save the worker
    /// a read); <see langword="null"/> when it did not: then list them from the journal.
    /// </summary>
    /// <value>
    /// Every record of the item's earlier tries, in the order recorded (often none), or <see langword="null"/>. The list is
    /// complete for as long as the lease is held: the journal refuses a record under any lease but the item's current one
    /// (<see cref="IModelCallJournal.RecordAsync"/>), so no earlier try can add one after the lease was taken. A queue sets
    /// it only from the journal of the store it belongs to. A renewed lease keeps it as it was.
    /// </value>
    public IReadOnlyList<ModelCallRecord>? JournaledCalls { get; init; }
}
