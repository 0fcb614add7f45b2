using System.Threading.Channels;

namespace VirtualItCompany.Runtime;

/// <summary>
/// The live feed of committed events: every subscriber gets each event committed in this process once, in commit order per
/// project, and, when an <see cref="IProjectCommitAnnouncer"/> is at hand, a signal for each commit announced by another
/// process (whose events the subscriber reads from the store).
/// </summary>
internal sealed class ProjectEventFeed : IAsyncDisposable, IDisposable
{
    private readonly Lock _gate = new();
    private readonly IProjectCommitAnnouncer? _announcer;
    private Subscription[] _subscriptions = [];
    private Task<IAsyncDisposable>? _listening;
    private bool _disposed;

    /// <summary>Creates a feed of this process's commits only.</summary>
    public ProjectEventFeed()
    {
    }

    /// <summary>Creates a feed that also signals the commits another process announces.</summary>
    /// <param name="announcer">The announcer of commits across processes, or <see langword="null"/> for this process's commits only.</param>
    public ProjectEventFeed(IProjectCommitAnnouncer? announcer)
    {
        _announcer = announcer;
    }

    /// <summary>Gets whether commits of other processes are signalled.</summary>
    public bool SpansProcesses => _announcer is not null;

    private Action<IReadOnlyList<ProjectEvent>>[] _observers = [];

    /// <summary>Calls <paramref name="observer"/> with every batch of events committed from now on, on the committing thread; it must be quick and must not throw.</summary>
    /// <param name="observer">What to call.</param>
    /// <returns>Dispose it to stop the calls.</returns>
    public IDisposable Observe(Action<IReadOnlyList<ProjectEvent>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_gate)
        {
            _observers = [.. _observers, observer];
        }

        return new Observation(this, observer);
    }

    private sealed class Observation(ProjectEventFeed feed, Action<IReadOnlyList<ProjectEvent>> observer) : IDisposable
    {
        public void Dispose()
        {
            lock (feed._gate)
            {
                feed._observers = [.. feed._observers.Where(o => !ReferenceEquals(o, observer))];
            }
        }
    }

    /// <summary>Subscribes to the events committed from now on.</summary>
    /// <param name="projectId">Only this project's events; <see langword="null"/> for all projects.</param>
    /// <returns>The subscription; dispose it to stop receiving.</returns>
    public Subscription Subscribe(ProjectId? projectId = null)
    {
        var subscription = new Subscription(this, projectId);
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        return subscription;
    }

    /// <summary>Subscribes to the events committed from now on, in this process and (announced) in others.</summary>
    /// <param name="projectId">Only this project's events; <see langword="null"/> for all projects.</param>
    /// <param name="cancellationToken">Cancels starting to listen.</param>
    /// <returns>The subscription, once any commit from now on, in any process, will reach it.</returns>
    public async ValueTask<Subscription> SubscribeAsync(ProjectId? projectId, CancellationToken cancellationToken)
    {
        var subscription = Subscribe(projectId);
        if (_announcer is null)
        {
            return subscription;
        }

        try
        {
            await EnsureListeningAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            return subscription;
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
    }

    private Task<IAsyncDisposable> EnsureListeningAsync()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // One listener for the process, started by the first watcher; a failed start is tried again by the next one.
            if (_listening is null || _listening.IsFaulted || _listening.IsCanceled)
            {
                _listening = _announcer!.ListenAsync(OnAnnounced, CancellationToken.None).AsTask();
            }

            return _listening;
        }
    }

    private void OnAnnounced(ProjectCommitAnnouncement announcement)
    {
        if (announcement is null)
        {
            return;
        }

        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (announcement.ProjectId is null || subscription.ProjectId is null || subscription.ProjectId == announcement.ProjectId)
            {
                subscription.Channel.Writer.TryWrite(new FeedEntry(null, announcement.Version));
            }
        }
    }

    /// <summary>Publishes events that were just committed.</summary>
    /// <param name="events">The committed events of one project, in version order.</param>
    internal void Publish(IReadOnlyList<ProjectEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var observer in Volatile.Read(ref _observers))
        {
            observer(events);
        }

        var subscriptions = Volatile.Read(ref _subscriptions);
        if (subscriptions.Length == 0)
        {
            return;
        }

        foreach (var subscription in subscriptions)
        {
            foreach (var e in events)
            {
                if (subscription.ProjectId is null || subscription.ProjectId == e.ProjectId)
                {
                    subscription.Channel.Writer.TryWrite(new FeedEntry(e, e.Version));
                }
            }
        }
    }

    /// <summary>Stops listening to other processes.</summary>
    /// <returns>A task that completes when the listener has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        Task<IAsyncDisposable>? listening;
        lock (_gate)
        {
            _disposed = true;
            listening = _listening;
            _listening = null;
        }

        if (listening is not null)
        {
            try
            {
                await (await listening.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception) when (listening.IsFaulted || listening.IsCanceled)
            {
                // It never listened: nothing to stop.
            }
        }
    }

    /// <summary>Stops listening to other processes, waiting for the listener to stop (a container disposed synchronously).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions.Where(s => !ReferenceEquals(s, subscription))];
        }
    }

    /// <summary>What a subscription receives: an event committed in this process, or the announcement that the project reached a version in another.</summary>
    /// <param name="Event">The event, or <see langword="null"/> for an announcement (read the store up to <paramref name="Version"/>).</param>
    /// <param name="Version">The event's version, or the announced version.</param>
    public readonly record struct FeedEntry(ProjectEvent? Event, long Version);

    /// <summary>A subscription to the live feed.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly ProjectEventFeed _feed;

        internal Subscription(ProjectEventFeed feed, ProjectId? projectId)
        {
            _feed = feed;
            ProjectId = projectId;
        }

        /// <summary>Gets the project subscribed to, or <see langword="null"/> for all.</summary>
        public ProjectId? ProjectId { get; }

        /// <summary>Gets the events as they are committed, and the announcements of commits in other processes.</summary>
        public ChannelReader<FeedEntry> Reader => Channel.Reader;

        internal Channel<FeedEntry> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<FeedEntry>(new UnboundedChannelOptions { SingleReader = true });

        /// <inheritdoc />
        public void Dispose()
        {
            _feed.Remove(this);
            Channel.Writer.TryComplete();
        }
    }
}
