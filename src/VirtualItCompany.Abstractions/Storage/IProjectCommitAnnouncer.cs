namespace VirtualItCompany;

/// <summary>
/// Announces across processes that a project committed events, so that a process watching the project (a web host showing
/// a worker's progress) learns of commits made by other processes sharing the store and reads their events from the store.
/// </summary>
/// <remarks>
/// <para>
/// Optional. The runtime's live feed (<see cref="IDeliveryCompany.WatchAsync"/>) always delivers the commits of its own
/// process; it also listens to an announcer when one is registered as a service, or else when the registered
/// <see cref="IProjectStore"/> implements this interface. On each announcement a watcher of the project reads the events
/// after the last one it delivered from <see cref="IProjectStore.ReadEventsAsync"/>: the store stays the only source of
/// events, and an announcement only says where to look.
/// </para>
/// <para>
/// An implementation announces every commit that appended events, after it is durable and only if it was (PostgreSQL:
/// <c>NOTIFY</c> in the commit's own transaction; Redis: a pub/sub message published after the commit). Announcements may
/// be duplicated, reordered or arrive for a commit this process made itself: watchers drop what they have already
/// delivered. When announcements may have been lost (the listening connection broke and was restored), the implementation
/// sends <see cref="ProjectCommitAnnouncement.MayHaveMissed"/> once it listens again, and every watcher reads the store.
/// </para>
/// </remarks>
public interface IProjectCommitAnnouncer
{
    /// <summary>Starts listening to the commits announced by every process sharing the store (this one included).</summary>
    /// <param name="onAnnounced">
    /// Called for each announcement, on a thread of the implementation's; it must return quickly and not throw (the runtime's
    /// handler only signals its watchers).
    /// </param>
    /// <param name="cancellationToken">Cancels starting to listen.</param>
    /// <returns>
    /// A handle that stops listening when disposed. The task completes once listening is established: a commit made after
    /// that is announced, so a watcher that starts listening, then reads the store, misses nothing.
    /// </returns>
    ValueTask<IAsyncDisposable> ListenAsync(Action<ProjectCommitAnnouncement> onAnnounced, CancellationToken cancellationToken = default);
}

/// <summary>An announcement that a project's committed events reached a version (see <see cref="IProjectCommitAnnouncer"/>).</summary>
/// <param name="ProjectId">The project that committed, or <see langword="null"/> when announcements may have been missed and every watcher should read the store.</param>
/// <param name="Version">The project's version after the commit; <see cref="long.MaxValue"/> when <paramref name="ProjectId"/> is <see langword="null"/>.</param>
public sealed record ProjectCommitAnnouncement(ProjectId? ProjectId, long Version)
{
    /// <summary>Gets the announcement that some may have been lost (the listener reconnected): every watcher reads the store.</summary>
    public static ProjectCommitAnnouncement MayHaveMissed { get; } = new(null, long.MaxValue);
}
