using System.Threading.Channels;

namespace VirtualItCompany.Runtime;

/// <summary>The live feed of committed events in this process: every subscriber gets each event once, in commit order per project.</summary>
internal sealed class ProjectEventFeed
{
    private readonly Lock _gate = new();
    private Subscription[] _subscriptions = [];
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
                    subscription.Channel.Writer.TryWrite(e);
                }
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions.Where(s => !ReferenceEquals(s, subscription))];
        }
    }

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

        /// <summary>Gets the events as they are committed.</summary>
        public ChannelReader<ProjectEvent> Reader => Channel.Reader;

        internal Channel<ProjectEvent> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<ProjectEvent>(new UnboundedChannelOptions { SingleReader = true });

        /// <inheritdoc />
        public void Dispose()
        {
            _feed.Remove(this);
            Channel.Writer.TryComplete();
        }
    }
}
