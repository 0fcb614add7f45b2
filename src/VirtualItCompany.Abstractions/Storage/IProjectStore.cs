namespace VirtualItCompany;

/// <summary>Stores projects as append-only events with optimistic concurrency, and a snapshot of each.</summary>
/// <remarks>
/// <see cref="CommitAsync"/> is the only way to change a project, and it also puts the work items it schedules on
/// the adapter's <see cref="IWorkQueue"/> and completes the lease it names, all atomically. An adapter therefore
/// implements both interfaces over one storage.
/// </remarks>
public interface IProjectStore
{
    /// <summary>Commits events, scheduled work and a lease completion atomically.</summary>
    /// <param name="commit">What to commit.</param>
    /// <param name="cancellationToken">Cancels the commit; then nothing of it is stored.</param>
    /// <returns>The project's snapshot after the commit.</returns>
    /// <exception cref="ConcurrencyException">The project is no longer at <see cref="ProjectCommit.ExpectedVersion"/>.</exception>
    /// <exception cref="LeaseLostException">The lease in <see cref="ProjectCommit.CompletesLease"/> is no longer current.</exception>
    /// <exception cref="ProjectNotFoundException">The project does not exist (and the commit does not create it).</exception>
    Task<ProjectSnapshot> CommitAsync(ProjectCommit commit, CancellationToken cancellationToken = default);

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
