namespace VirtualItCompany;

/// <summary>Stores projects as append-only events with optimistic concurrency, and the snapshot the runtime folded them to.</summary>
/// <remarks>
/// The meaning lives in the runtime; a store only persists it. <see cref="CommitAsync"/> is the only way to change a
/// project: the runtime hands over stamped events, the folded snapshot, the work to enqueue, the lease to settle and
/// outbox messages; the store checks the expected version and the lease's fencing token and writes all of it or none
/// of it. It neither stamps nor folds events. An adapter implements this, <see cref="IWorkQueue"/> and (when it has
/// one) <see cref="IOutbox"/> over one storage, and passes the conformance suites in <c>VirtualItCompany.Testing</c>.
/// </remarks>
public interface IProjectStore
{
    /// <summary>Commits events, the snapshot, scheduled work, a lease's settlement and outbox messages atomically.</summary>
    /// <param name="commit">What to commit; a malformed one (<see cref="ProjectCommit.GetProblems"/>) is refused with <see cref="ArgumentException"/>.</param>
    /// <param name="cancellationToken">Cancels the commit; then all of it or nothing of it is stored.</param>
    /// <returns>A task that completes when the commit is durable.</returns>
    /// <exception cref="ConcurrencyException">The project is no longer at <see cref="ProjectCommit.ExpectedVersion"/> (or, creating it, exists already).</exception>
    /// <exception cref="LeaseLostException">The lease in <see cref="ProjectCommit.CompletesLease"/> is no longer current.</exception>
    /// <exception cref="ProjectNotFoundException">The project does not exist (and the commit does not create it).</exception>
    Task CommitAsync(ProjectCommit commit, CancellationToken cancellationToken = default);

    /// <summary>Gets the current snapshot of a project.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The snapshot, or <see langword="null"/> when there is no such project.</returns>
    ValueTask<ProjectSnapshot?> GetAsync(ProjectId projectId, CancellationToken cancellationToken = default);

    /// <summary>Reads a project's events after a version, in order.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="afterVersion">Only events with a higher version are read; 0 for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The events.</returns>
    IAsyncEnumerable<ProjectEvent> ReadEventsAsync(ProjectId projectId, long afterVersion = 0, CancellationToken cancellationToken = default);

    /// <summary>Lists the projects' snapshots, newest first.</summary>
    /// <param name="status">Only projects with this status; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The snapshots.</returns>
    IAsyncEnumerable<ProjectSnapshot> ListAsync(ProjectStatus? status = null, CancellationToken cancellationToken = default);
}
