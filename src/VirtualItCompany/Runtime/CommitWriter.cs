namespace VirtualItCompany.Runtime;

/// <summary>Stamps a plan's events, folds them into the snapshot, commits both to the store and publishes the events to the live feed.</summary>
internal sealed class CommitWriter
{
    private readonly IProjectStore _store;
    private readonly ProjectEventFeed _feed;
    private readonly TimeProvider _timeProvider;

    private readonly RunningWork _running;

    public CommitWriter(IProjectStore store, ProjectEventFeed feed, TimeProvider timeProvider, RunningWork running)
    {
        _running = running;
        _store = store;
        _feed = feed;
        _timeProvider = timeProvider;
    }

    public IProjectStore Store => _store;

    /// <summary>Commits a plan on top of <paramref name="current"/> (<see langword="null"/> to create the project with the plan's first event).</summary>
    public async Task<ProjectSnapshot> CommitAsync(ProjectId projectId, ProjectSnapshot? current, WorkPlan plan, WorkLease? completesLease, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        long expectedVersion = current?.Version ?? 0;
        var events = new ProjectEvent[plan.Events.Count];
        for (int i = 0; i < events.Length; i++)
        {
            events[i] = plan.Events[i] with { ProjectId = projectId, Version = expectedVersion + i + 1, Timestamp = now };
        }

        // The runtime folds; the store keeps the snapshot as given.
        var snapshot = current ?? ProjectSnapshot.Create((ProjectCreated)events[0]);
        for (int i = current is null ? 1 : 0; i < events.Length; i++)
        {
            snapshot = snapshot.Apply(events[i]);
        }

        await _store.CommitAsync(
            new ProjectCommit(projectId, expectedVersion, events, snapshot) { Enqueue = plan.Enqueue, CompletesLease = completesLease, RetryAt = completesLease is null ? null : plan.RetryAt },
            cancellationToken).ConfigureAwait(false);
        _feed.Publish(events);
        if (snapshot.Status == ProjectStatus.Cancelled)
        {
            // Agents still working on a cancelled project stop now rather than spend on.
            _running.CancelAll(projectId);
        }

        return snapshot;
    }
}
